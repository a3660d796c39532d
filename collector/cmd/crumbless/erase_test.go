package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// writeRows writes NDJSON rows, zstd-compressed, at DIR/rel.
func writeRows(t *testing.T, dir, rel string, rows ...string) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(path), 0o755)
	enc, _ := zstd.NewWriter(nil)
	if err := os.WriteFile(path, enc.EncodeAll([]byte(strings.Join(rows, "\n")+"\n"), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRetentionAndEraseCommands runs both commands on a data directory
// the configuration names: a dry run lists an expired partition, a real
// run deletes it, and erase removes one visitor's row.
func TestRetentionAndEraseCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("data_dir: "+dir+"\nsites:\n  - id: example.com\n    origins: [https://example.com]\n    retention_days: 30\n"), 0o644)
	old := "events/site=example.com/date=2000-01-01/hour=00/part-20000101T000000-n1-000001.ndjson.zst"
	today := "events/site=example.com/date=" + time.Now().UTC().Format("2006-01-02") + "/hour=00/part-x-n1-000001.ndjson.zst"
	writeRows(t, dir, old, `{"visitor_id":"aaaaaaaaaaaaaaaa"}`)
	kept := writeRows(t, dir, today, `{"event_id":"1","visitor_id":"aaaaaaaaaaaaaaaa"}`, `{"event_id":"2","visitor_id":"bbbbbbbbbbbbbbbb"}`)

	var out bytes.Buffer
	if code := run(t.Context(), []string{"retention", "-config", cfg, "-dry-run"}, &out, io.Discard); code != 0 ||
		!strings.Contains(out.String(), "would delete events/site=example.com/date=2000-01-01") {
		t.Fatalf("retention -dry-run: exit %d, %s", code, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, old)); err != nil {
		t.Fatal("a dry run deleted:", err)
	}
	out.Reset()
	if code := run(t.Context(), []string{"retention", "-config", cfg}, &out, io.Discard); code != 0 ||
		!strings.Contains(out.String(), "deleted 1 partitions, 1 files") {
		t.Fatalf("retention: exit %d, %s", code, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, old)); !os.IsNotExist(err) {
		t.Error("the expired partition is still there")
	}

	out.Reset()
	if code := run(t.Context(), []string{"erase", "-config", cfg, "-site", "example.com", "-visitor", "AAAAAAAAAAAAAAAA"}, &out, io.Discard); code != 0 ||
		!strings.Contains(out.String(), "removed 1 rows") {
		t.Fatalf("erase: exit %d, %s", code, out.String())
	}
	raw, _ := os.ReadFile(kept)
	dec, _ := zstd.NewReader(nil)
	plain, _ := dec.DecodeAll(raw, nil)
	if string(plain) != `{"event_id":"2","visitor_id":"bbbbbbbbbbbbbbbb"}`+"\n" {
		t.Errorf("after erase the file holds %q", plain)
	}
	var errOut bytes.Buffer
	for _, args := range [][]string{{"erase", "-site", "example.com"}, {"erase", "-site", "x", "-visitor", "a", "-uid", "b"}, {"retention", "extra"}} {
		errOut.Reset()
		if code := run(t.Context(), args, io.Discard, &errOut); code != exitUsage || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}
