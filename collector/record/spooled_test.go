package record

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/spooled"
	"github.com/crumbless/crumbless/collector/spool"
)

// spooledRig is ingest's Spooler, a spool, and a Writer fed from it by a
// relay, as the collector wires them.
type spooledRig struct {
	t       *testing.T
	sp      *spool.Spool
	w       *Writer
	relay   *spooled.Relay
	spooler *Spooler
}

func openSpooledRig(t *testing.T, dir string) *spooledRig {
	return openSpooledRigEvery(t, dir, time.Hour, time.Hour)
}

// openSpooledRigEvery opens a rig whose files roll every rollEvery and
// whose cursor is committed every commitEvery.
func openSpooledRigEvery(t *testing.T, dir string, rollEvery, commitEvery time.Duration) *spooledRig {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	w, err := Open(Config{Dir: dir, Spooled: true, FlushInterval: 10 * time.Millisecond, RollInterval: rollEvery, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spool.Open(spool.Config{Dir: filepath.Join(dir, "spool"), Consumers: []string{"consent"},
		FirstPos: w.MaxPublished() + 1, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	reader, _ := sp.Reader("consent")
	w.Committed(reader.Committed())
	relay, err := spooled.StartRelay(spooled.RelayConfig{Spool: sp, Reader: reader, Sink: w, Name: "consent",
		Kinds: []sink.Kind{sink.KindConsent}, MaxWait: time.Millisecond, CommitEvery: commitEvery, Logger: log, Metrics: metrics.NewSet()})
	if err != nil {
		t.Fatal(err)
	}
	return &spooledRig{t: t, sp: sp, w: w, relay: relay, spooler: NewSpooler(spooled.NewWriter(sp), nil)}
}

// write spools n batches of two records, alternating two sites, with
// event ids from first on; an events record between them is passed over.
func (r *spooledRig) write(first, n int) {
	r.t.Helper()
	events := spooled.NewWriter(r.sp)
	for i := range n {
		site := []string{"example.com", "other.org"}[i%2]
		id := first + 2*i
		if err := r.spooler.Write(r.t.Context(), []byte(site), []Input{input(id), input(id + 1)}); err != nil {
			r.t.Fatal(err)
		}
		ev := sink.Record{Site: []byte(site), ReceivedAt: time.Now(), Rows: []byte(`{"event_id":"e"}` + "\n"), Events: 1}
		if err := events.Append(r.t.Context(), &ev); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *spooledRig) stop() {
	r.t.Helper()
	if err := r.relay.Drain(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
	if err := r.w.Close(); err != nil {
		r.t.Fatal(err)
	}
	r.relay.Commit()
	r.sp.Close()
}

// TestSpooledRecordsSurviveACrash: records spooled by ingest are chained
// into the files; after a crash with a file open (its temporary file left,
// the cursor behind), a restart replays them: every record is in the files
// once, and each site's chain verifies.
func TestSpooledRecordsSurviveACrash(t *testing.T) {
	dir := t.TempDir()
	r := openSpooledRig(t, dir)
	r.write(0, 10)
	r.stop()

	r = openSpooledRig(t, dir)
	r.write(100, 10)
	deadline := time.Now().Add(10 * time.Second)
	for len(tmpFiles(t, dir)) == 0 { // the relay has opened a file
		if time.Now().After(deadline) {
			t.Fatal("no file opened")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	r.relay.Stop() // the crash: no drain, no Close; the cursor is where the first run left it
	r.sp.Close()

	r = openSpooledRig(t, dir)
	r.write(200, 2)
	r.stop()
	seen := map[string]int{}
	for _, site := range []string{"example.com", "other.org"} {
		files, _ := siteFiles(dir, site)
		for _, f := range files {
			_ = eachLine(f, func(_ int, l []byte) bool {
				var rec struct {
					EventID string `json:"event_id"`
				}
				if err := json.Unmarshal(l, &rec); err != nil {
					t.Fatal(err)
				}
				seen[rec.EventID]++
				return true
			})
		}
	}
	for _, first := range []int{0, 100, 200} {
		n := 20
		if first == 200 {
			n = 4
		}
		for i := first; i < first+n; i++ {
			if c := seen[fmt.Sprint("c-", i)]; c != 1 {
				t.Errorf("record of c-%d is in the files %d times", i, c)
			}
		}
	}
	if len(seen) != 44 {
		t.Errorf("%d records, want 44", len(seen))
	}
	res, err := Verify(dir, "")
	if err != nil || len(res) != 2 {
		t.Fatalf("Verify: %v %v", res, err)
	}
	for _, s := range res {
		if s.Break != nil || s.Records != 22 {
			t.Errorf("chain of %s: %d records, break %+v", s.Site, s.Records, s.Break)
		}
	}
}

func tmpFiles(t *testing.T, dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, Subdir, "*", "*", ".part-*"))
	return m
}

// TestSpooledCursorFollowsCompleteFiles: with event records between the
// consent records, the consent cursor still moves up to the complete files,
// so that the spool can let its segments go.
func TestSpooledCursorFollowsCompleteFiles(t *testing.T) {
	r := openSpooledRigEvery(t, t.TempDir(), 50*time.Millisecond, 10*time.Millisecond)
	reader, _ := r.sp.Reader("consent")
	r.write(0, 20)
	deadline := time.Now().Add(10 * time.Second)
	for reader.Committed() < r.sp.Last()-1 {
		if time.Now().After(deadline) {
			t.Fatalf("the consent cursor is at %d of %d", reader.Committed(), r.sp.Last())
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.stop()
}
