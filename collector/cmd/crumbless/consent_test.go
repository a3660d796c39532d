package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/consent"
)

func TestConsentVerify(t *testing.T) {
	data := t.TempDir()
	w, err := record.Open(record.Config{Dir: data, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	p := consent.DefaultPolicy()
	for _, id := range []string{"a", "b", "c"} {
		in := record.Input{EventID: []byte(id), Policy: &p, PolicyHash: p.AppendHash(nil), Method: []byte("banner-accept-all")}
		if err := w.Write(t.Context(), []byte("example.com"), []record.Input{in}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(t.Context(), []string{"consent", "verify", "-data", data}, &out, io.Discard); code != exitOK ||
		out.String() != "site example.com: ok, 3 records in 1 files\n" {
		t.Errorf("intact chain: exit %d, %q", code, out.String())
	}
	// Delete the second record.
	files, _ := filepath.Glob(filepath.Join(data, "consent", "site=example.com", "date=*", "*.ndjson.zst"))
	raw, _ := os.ReadFile(files[0])
	dec, _ := zstd.NewReader(nil)
	plain, _ := dec.DecodeAll(raw, nil)
	lines := bytes.SplitAfter(plain, []byte("\n"))
	enc, _ := zstd.NewWriter(nil)
	os.WriteFile(files[0], enc.EncodeAll(bytes.Join([][]byte{lines[0], lines[2]}, nil), nil), 0o644)
	out.Reset()
	code := run(t.Context(), []string{"consent", "verify", "-data", data, "-site", "example.com"}, &out, io.Discard)
	if code != exitFail || !strings.Contains(out.String(), "BROKEN at consent/site=example.com/date=") ||
		!strings.Contains(out.String(), "line 2: prev_hash is not the previous record's hash") {
		t.Errorf("broken chain: exit %d, %s", code, out.String())
	}
	if code := run(t.Context(), []string{"consent"}, io.Discard, io.Discard); code != exitUsage {
		t.Errorf("usage: exit %d", code)
	}
}
