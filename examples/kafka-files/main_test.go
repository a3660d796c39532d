package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/valyala/fastjson"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/kafkasink"
)

var kindDirs = map[sink.Kind]string{sink.KindEvents: "events", sink.KindHeatmap: "heatmaps", sink.KindConsent: "consent"}

// Test_main produces rows of every kind through the Kafka output (one
// batch twice, as a retry would) to an in-process cluster, runs the
// consumer until the files hold them, and checks that the files' rows,
// deduplicated by event_id, are the rows produced, each in the partition
// of its site and received_at. A second run after more rows writes only
// the new ones: the first run's offsets were committed.
func Test_main(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(3))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	out, err := kafkasink.Open(kafkasink.Config{Brokers: cluster.ListenAddrs(), CreateTopics: true, Partitions: 4,
		ReplicationFactor: 3, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := out.Connect(t.Context()); err != nil {
		t.Fatal(err)
	}
	cfg := config{brokers: cluster.ListenAddrs(), group: "files", dir: t.TempDir(), commitEvery: 100 * time.Millisecond,
		topics: kafkasink.Topics{Events: kafkasink.DefaultEventsTopic, Heatmaps: kafkasink.DefaultHeatmapsTopic,
			Consent: kafkasink.DefaultConsentTopic},
		log: slog.New(slog.DiscardHandler)}

	want := map[string]string{} // event_id → row
	first := produce(t, out, want, 0, 40)
	if err := out.WriteBatch(t.Context(), first); err != nil { // a retried batch: duplicates in Kafka
		t.Fatal(err)
	}
	consumeUntil(t, cfg, want)
	firstRun := readFiles(t, cfg.dir)

	produce(t, out, want, 40, 20)
	consumeUntil(t, cfg, want)
	for id, n := range readFiles(t, cfg.dir).count {
		if firstRun.count[id] > 0 && n != firstRun.count[id] {
			t.Errorf("row %s written again by the second run: its offset was not committed", id)
		}
	}
}

// produce writes a batch of n records of three rows each, numbered from
// first, across kinds, sites and hours.
func produce(t *testing.T, s sink.Sink, want map[string]string, first, n int) *sink.Batch {
	t.Helper()
	sites := []string{"example.com", "shop.example.org"}
	start := time.Date(2026, 11, 23, 22, 50, 0, 0, time.UTC)
	b := &sink.Batch{}
	for i := first; i < first+n; i++ {
		rec := sink.Record{Kind: sink.Kind(i % 3), Site: []byte(sites[i%2]), Events: 3,
			ReceivedAt: start.Add(time.Duration(i) * 137 * time.Second).Add(123456 * time.Nanosecond)}
		for j := range 3 {
			id := fmt.Sprintf("evt-%05d-%d", i, j)
			row := fmt.Sprintf(`{"event_id":%q,"site":%q,"received_at":%q,"visitor_id":"v%d","title":"Caf\u00e9 \"%d\""}`,
				id, rec.Site, rec.ReceivedAt.Format(time.RFC3339Nano), i%7, i)
			want[id] = fmt.Sprintf("%s %s", kindDirs[rec.Kind], row)
			rec.Rows = append(append(rec.Rows, row...), '\n')
		}
		b.Records = append(b.Records, rec)
	}
	if err := s.WriteBatch(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	return b
}

// consumeUntil runs the consumer until the files hold every wanted row,
// then stops it and checks the files.
func consumeUntil(t *testing.T, cfg config, want map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg) }()
	deadline := time.Now().Add(20 * time.Second)
	for len(readFiles(t, cfg.dir).rows) < len(want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	got := readFiles(t, cfg.dir)
	dups := 0
	for id, row := range want {
		if got.rows[id] != row {
			t.Errorf("row %s: files hold %.120q, want %.120q", id, got.rows[id], row)
		}
		dups += got.count[id] - 1
	}
	if len(got.rows) != len(want) {
		t.Errorf("%d distinct rows in the files, %d produced", len(got.rows), len(want))
	}
	t.Logf("%d rows produced, %d more in the files (duplicates)", len(want), dups)
}

// fileRows are the rows of the complete files, by event_id: the last one
// read with its kind's directory, and how many times each was read.
type fileRows struct {
	rows  map[string]string
	count map[string]int
}

func readFiles(t *testing.T, dir string) fileRows {
	t.Helper()
	got := fileRows{rows: map[string]string{}, count: map[string]int{}}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ndjson.zst") || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(path))
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := zstd.NewReader(f)
		if err != nil {
			return err
		}
		defer zr.Close()
		for sc := bufio.NewScanner(zr); sc.Scan(); {
			v, err := fastjson.ParseBytes(sc.Bytes())
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			checkPartition(t, rel, v)
			id := string(v.GetStringBytes("event_id"))
			got.rows[id] = strings.Split(rel, string(filepath.Separator))[0] + " " + sc.Text()
			got.count[id]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// checkPartition checks that a row is in the directory of its site and
// received_at: hourly for events and heatmaps, daily for consent.
func checkPartition(t *testing.T, rel string, v *fastjson.Value) {
	at, err := time.Parse(time.RFC3339Nano, string(v.GetStringBytes("received_at")))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("site=%s%cdate=%s", v.GetStringBytes("site"), filepath.Separator, at.Format(time.DateOnly))
	kind, _, _ := strings.Cut(rel, string(filepath.Separator))
	if kind != "consent" {
		want += fmt.Sprintf("%chour=%02d", filepath.Separator, at.Hour())
	}
	if !strings.HasSuffix(rel, want) {
		t.Errorf("row %s in %s, want it in %s/%s", v.GetStringBytes("event_id"), rel, kind, want)
	}
}
