package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/consent"
)

var start = time.Date(2026, 11, 23, 18, 20, 1, 0, time.UTC)

func input(i int) Input {
	p := consent.DefaultPolicy()
	return Input{
		EventID: fmt.Appendf(nil, "c-%d", i), Region: consent.Region{Country: "FR"}, Profile: consent.ProfileOptIn,
		Policy: &p, PolicyHash: p.AppendHash(nil), Method: []byte("tcf"),
		Choice:   consent.Choice{States: [consent.NumPurposes]consent.State{consent.Granted, consent.Granted, consent.Denied}},
		ChoiceOK: true, Evidence: []byte("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"), EvidenceCheck: "unchecked",
		ClientTime: start.UnixMilli() - 10,
	}
}

// writeRecords writes n records for site in a Writer opened on dir, one
// Write each, then closes it (as a restart would).
func writeRecords(t *testing.T, dir, site string, n int, at time.Time) {
	t.Helper()
	now := at
	w, err := Open(Config{Dir: dir, Now: func() time.Time { return now }, FlushInterval: time.Hour,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		now = at.Add(time.Duration(i) * time.Millisecond)
		if err := w.Write(t.Context(), []byte(site), []Input{input(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func verifyOne(t *testing.T, dir string) Result {
	t.Helper()
	res, err := Verify(dir, "example.com")
	if err != nil || len(res) != 1 {
		t.Fatalf("Verify: %v %v", res, err)
	}
	return res[0]
}

// TestChainAcrossRestartsAndDays writes records in three runs, the last on
// the next day, and verifies one chain through all of them.
func TestChainAcrossRestartsAndDays(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, "example.com", 3, start)
	writeRecords(t, dir, "example.com", 2, start) // a restart within the same second
	writeRecords(t, dir, "example.com", 2, start.Add(24*time.Hour))
	writeRecords(t, dir, "other.org", 1, start)
	res := verifyOne(t, dir)
	if res.Break != nil || res.Records != 7 || res.Files != 3 {
		t.Fatalf("chain: %+v %+v", res, res.Break)
	}
	all, _ := Verify(dir, "")
	if len(all) != 2 {
		t.Errorf("sites: %+v", all)
	}
	recs := readAll(t, dir)
	if recs[0]["prev_hash"] != Genesis || recs[3]["prev_hash"] != recs[2]["hash"] {
		t.Errorf("links: %v / %v", recs[0]["prev_hash"], recs[3]["prev_hash"])
	}
	r := recs[0]
	if r["schema"] != SchemaVersion || r["subject"] != nil || r["site"] != "example.com" ||
		fmt.Sprint(r["jurisdiction"]) != "map[profile:optin region:FR]" {
		t.Errorf("record: %v", r)
	}
	if p := r["purposes"].([]any); fmt.Sprint(p[1]) != "map[basis:consent purpose:measurement state:granted]" ||
		fmt.Sprint(p[2]) != "map[basis:none purpose:analytics state:denied]" {
		t.Errorf("purposes: %v", p)
	}
}

func TestVerifyFindsAnEditedRecord(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, "example.com", 4, start)
	rewrite(t, dir, func(lines [][]byte) [][]byte {
		lines[2] = bytes.Replace(lines[2], []byte(`"state":"denied"`), []byte(`"state":"granted"`), 1)
		return lines
	})
	res := verifyOne(t, dir)
	if res.Break == nil || res.Break.Line != 3 || !strings.Contains(res.Break.Problem, "this record was changed") {
		t.Fatalf("break: %+v", res.Break)
	}
}

func TestVerifyFindsADeletedRecord(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, "example.com", 4, start)
	rewrite(t, dir, func(lines [][]byte) [][]byte { return append(lines[:1], lines[2:]...) })
	res := verifyOne(t, dir)
	if res.Break == nil || res.Break.Line != 2 || !strings.Contains(res.Break.Problem, "missing") ||
		res.Break.Expected == res.Break.Found {
		t.Fatalf("break: %+v", res.Break)
	}
}

// rewrite edits the lines of the only record file of example.com.
func rewrite(t *testing.T, dir string, edit func([][]byte) [][]byte) {
	t.Helper()
	files, _ := siteFiles(dir, "example.com")
	if len(files) != 1 {
		t.Fatalf("files: %v", files)
	}
	var lines [][]byte
	_ = eachLine(files[0], func(_ int, l []byte) bool { lines = append(lines, l); return true })
	lines = edit(lines)
	enc, _ := zstd.NewWriter(nil)
	plain := append(bytes.Join(lines, []byte("\n")), '\n')
	if err := os.WriteFile(files[0], enc.EncodeAll(plain, nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, dir string) []map[string]any {
	t.Helper()
	files, _ := siteFiles(dir, "example.com")
	var out []map[string]any
	for _, f := range files {
		if !strings.Contains(filepath.ToSlash(f), "/consent/site=example.com/date=") {
			t.Errorf("file %s", f)
		}
		_ = eachLine(f, func(_ int, l []byte) bool {
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
			return true
		})
	}
	return out
}

func TestCheckEvidence(t *testing.T) {
	for _, tt := range []struct{ method, evidence, prefix string }{
		{"tcf", "", ""},
		{"tcf", "not a tc string", "invalid: "},
		{"gpp", "???", "invalid: "},
		{"banner-accept-all", "x", "unchecked"},
	} {
		if got := CheckEvidence([]byte(tt.method), []byte(tt.evidence), start, 390); !strings.HasPrefix(got, tt.prefix) || (tt.prefix == "" && got != "") {
			t.Errorf("%s %q: %q", tt.method, tt.evidence, got)
		}
	}
}
