package spooled

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/spool"
)

func TestRecordRoundTrip(t *testing.T) {
	in := sink.Record{Kind: sink.KindConsent, Site: []byte("example.com"), ReceivedAt: start.Add(123456789), Rows: []byte("{}\n{}\n"), Events: 2}
	rec := append(appendHeader(nil, versionPlain, &in), in.Rows...)
	var out sink.Record
	if _, err := decode(&out, rec, 42); err != nil {
		t.Fatal(err)
	}
	if out.Kind != sink.KindConsent || string(out.Site) != "example.com" || !out.ReceivedAt.Equal(in.ReceivedAt) || !bytes.Equal(out.Rows, in.Rows) ||
		out.Events != 2 || out.Pos != 42 {
		t.Errorf("decoded %+v", out)
	}
	v1 := append([]byte{1}, rec[2:]...) // written before kinds: events
	if _, err := decode(&out, v1, 7); err != nil || out.Kind != sink.KindEvents || string(out.Site) != "example.com" ||
		!bytes.Equal(out.Rows, in.Rows) || out.Pos != 7 {
		t.Errorf("decoded version 1 as %+v, %v", out, err)
	}
	unknownKind := bytes.Clone(rec)
	unknownKind[1] = 9
	for _, bad := range [][]byte{nil, {2}, {3, 0}, rec[:headerSize+3], unknownKind} {
		if _, err := decode(&out, bad, 1); err == nil {
			t.Errorf("decoded %q", bad)
		}
	}
}

// TestRowsCompressed: rows worth it go to the spool as an S2 block, much
// smaller, and come back byte for byte; rows S2 cannot shrink go as they
// are; a corrupt block is an error, not a panic.
func TestRowsCompressed(t *testing.T) {
	var rows []byte
	for i := range 20 {
		rows = fmt.Appendf(rows, `{"event_id":"e-%d","type":"pageview","site":"example.com","path":"/blog/post-%d","browser":"Firefox"}`+"\n", i, i%3)
	}
	version, block := compress(nil, rows)
	if version != versionS2 || len(block)*3 > len(rows) {
		t.Fatalf("version %d, %d bytes for %d bytes of rows", version, len(block), len(rows))
	}
	in := sink.Record{Kind: sink.KindEvents, Site: []byte("example.com"), ReceivedAt: start, Rows: rows, Events: 20}
	rec := append(appendHeader(nil, version, &in), block...)
	var out sink.Record
	compressed, err := decode(&out, rec, 3)
	if err != nil || !compressed {
		t.Fatalf("decode: compressed %v, %v", compressed, err)
	}
	got, err := appendRows([]byte("prefix"), out.Rows, compressed)
	if err != nil || string(got) != "prefix"+string(rows) {
		t.Fatalf("rows back: %v\n%q", err, got)
	}
	random := make([]byte, 4096)
	rand.NewChaCha8([32]byte{1}).Read(random)
	if version, kept := compress(nil, random); version == versionS2 && len(kept) >= len(random) {
		t.Errorf("incompressible rows grew: %d bytes", len(kept))
	}
	if version, kept := compress(nil, []byte("{}\n")); version != versionPlain || string(kept) != "{}\n" {
		t.Errorf("short rows: version %d %q", version, kept)
	}
	corrupt := bytes.Clone(block)
	corrupt[len(corrupt)/2] ^= 0xff
	corrupt = corrupt[:len(corrupt)-3]
	if got, err := appendRows([]byte("x"), corrupt, true); err == nil || string(got) != "x" {
		t.Errorf("corrupt block: %q, %v", got, err)
	}
}

func TestDrainWritesEverythingOnce(t *testing.T) {
	dir := t.TempDir()
	r := openRig(t, dir, 1<<20)
	for i := range 100 {
		if err := r.send(i); err != nil {
			t.Fatal(err)
		}
	}
	r.stop()
	checkExactlyOnce(t, eventIDs(t, dir), 100)
	if m, _ := filepath.Glob(filepath.Join(dir, "events", "*", "*", "*", "part-*-p*-*.ndjson.zst")); len(m) < 2 {
		t.Errorf("files with positions: %v", m)
	}
}

// TestCrashReplaysExactlyOnce crashes with some files complete (rolled on
// size) and one open, then restarts: the open file's batches are replayed,
// the complete files' batches are not, though the cursor was behind them.
func TestCrashReplaysExactlyOnce(t *testing.T) {
	dir := t.TempDir()
	r := openRigCommitting(t, dir, 1<<20, time.Hour) // the cursor stays at 0
	for i := range 100 {
		if err := r.send(i); err != nil {
			t.Fatal(err)
		}
	}
	r.waitHanded()
	r.crash()
	if got := eventIDs(t, dir); len(got) == 0 || len(got) == 100 {
		t.Fatalf("%d events in complete files before the restart; want some", len(got))
	}
	r = openRig(t, dir, 1<<20)
	for i := 100; i < 150; i++ {
		if err := r.send(i); err != nil {
			t.Fatal(err)
		}
	}
	r.stop()
	checkExactlyOnce(t, eventIDs(t, dir), 150)
	if n := r.metric("crumbless_file_replayed_batches_skipped_total"); n == "0" || n == "" || n == "100" {
		t.Errorf("%s replayed batches skipped as already in files; want some, not all", n)
	}
	if !strings.Contains(r.logs.String(), "removed temporary files") {
		t.Errorf("no note of the temporary files:\n%s", r.logs)
	}
}

// TestLostFileIsReplayed makes a file fail to complete (its temporary file
// vanishes): the relay resets the sink and hands the batches again.
func TestLostFileIsReplayed(t *testing.T) {
	dir := t.TempDir()
	r := openRig(t, dir, 1<<20)
	for i := range 10 {
		r.send(i)
	}
	r.waitHanded()
	tmp, _ := filepath.Glob(filepath.Join(dir, "events", "*", "*", "*", ".part-*"))
	if len(tmp) != 1 {
		t.Fatalf("temporary files %v", tmp)
	}
	os.Remove(tmp[0])
	r.closeMayFail = true
	r.stop() // Close fails to complete it; the cursor stays before it
	if got := eventIDs(t, dir); len(got) != 0 {
		t.Fatalf("events %v", got)
	}
	r = openRig(t, dir, 1<<20)
	r.stop()
	checkExactlyOnce(t, eventIDs(t, dir), 10)
}

// TestBudgetSpentThenResumes blocks the sink: the spool fills, appends
// fail fast with ErrFull; unblocked, the backlog drains and appends resume
// with nothing acknowledged lost.
func TestBudgetSpentThenResumes(t *testing.T) {
	sp, err := spool.Open(spool.Config{Dir: t.TempDir(), Consumers: []string{"files"}, BudgetBytes: 64 << 10, SegmentBytes: 8 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	p := newPausable()
	p.pause(true)
	reader, _ := sp.Reader("files")
	relay, _ := StartRelay(RelayConfig{Spool: sp, Reader: reader, Sink: p, Name: "p", CommitEvery: 5 * time.Millisecond, Metrics: metrics.NewSet()})
	r := &rig{t: t, writer: NewWriter(sp)}
	acked := 0
	for ; ; acked++ {
		err := r.send(acked)
		if errors.Is(err, spool.ErrFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if acked < 100 || !sp.Full() {
		t.Fatalf("full after %d batches (Full %v)", acked, sp.Full())
	}
	start := time.Now()
	if err := r.send(acked); !errors.Is(err, spool.ErrFull) || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("a full spool answered %v after %v", err, time.Since(start))
	}
	p.pause(false)
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := r.send(acked)
		if err == nil {
			acked++
			break
		}
		if !errors.Is(err, spool.ErrFull) || time.Now().After(deadline) {
			t.Fatalf("after unblocking: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := relay.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	relay.Commit()
	for i := range acked {
		if c := p.rows[fmt.Sprint("e-", i)]; c != 1 {
			t.Fatalf("event %d delivered %d times", i, c)
		}
	}
	if sp.Full() {
		t.Error("still full after draining")
	}
}
