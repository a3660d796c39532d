package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/dedupe"
	"github.com/crumbless/crumbless/collector/record"
	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/sdk/wire"
)

// withSeen gives the handler a seen-set.
func withSeen(c *Config) {
	s, err := dedupe.New(dedupe.Config{Window: time.Minute})
	if err != nil {
		panic(err)
	}
	c.Seen = s
}

// idsJSON returns a batch of pageviews with the given event ids.
func idsJSON(ids ...string) []byte {
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: receive.UnixMilli() - 50}
	for _, id := range ids {
		b.Events = append(b.Events, wire.Event{ID: []byte(id), Kind: wire.KindPageview,
			TS: receive.UnixMilli() - 100, Path: []byte("/" + id)})
	}
	return wire.AppendBatch(nil, &b)
}

func ids(from, to int) []string {
	var s []string
	for i := from; i < to; i++ {
		s = append(s, fmt.Sprintf("ev-%03d", i))
	}
	return s
}

// rowsOf counts the rows for each path in what the sink was given.
func (s *memSink) paths() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for _, b := range s.batches {
		for line := range bytes.Lines(b.Rows) {
			i := bytes.Index(line, []byte(`"path":"`))
			j := bytes.IndexByte(line[i+8:], '"')
			m[string(line[i+8:i+8+j])]++
		}
	}
	return m
}

func TestDuplicatesDropped(t *testing.T) {
	e := newEnv(t, withSeen)
	for i, step := range []struct {
		body   []byte
		events string // accepted events counted after the step
	}{
		{idsJSON(ids(0, 10)...), "10"},
		{idsJSON(ids(0, 10)...), "10"},      // a retry: all duplicates, still 202
		{idsJSON(ids(5, 15)...), "15"},      // half new
		{idsJSON("ev-100", "ev-100"), "16"}, // twice in one batch
	} {
		ctx := e.do("POST", step.body, testOrigin)
		if ctx.Response.StatusCode() != fasthttp.StatusAccepted {
			t.Fatalf("step %d: status %d, reason %s", i, ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
		}
		if got := e.counter("crumbless_events_accepted_total"); got != step.events {
			t.Errorf("step %d: %s events accepted, want %s", i, got, step.events)
		}
	}
	paths := e.sink.paths()
	if len(paths) != 16 {
		t.Errorf("%d paths written, want 16: %v", len(paths), paths)
	}
	for p, n := range paths {
		if n != 1 {
			t.Errorf("%s written %d times", p, n)
		}
	}
	if got := e.counter("crumbless_events_duplicate_total"); got != "16" { // 10 + 5 + 1
		t.Errorf("duplicates counted: %s, want 16", got)
	}
	if len(e.sink.batches) != 3 {
		t.Errorf("%d batches written, want 3: an all-duplicate batch writes nothing", len(e.sink.batches))
	}
}

func TestFailedWriteForgets(t *testing.T) {
	e := newEnv(t, withSeen)
	body := idsJSON(ids(0, 5)...)
	e.sink.err = errors.New("disk full")
	if ctx := e.do("POST", body, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", ctx.Response.StatusCode())
	}
	e.sink.err = nil
	if ctx := e.do("POST", body, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("retry: status %d, want 202", ctx.Response.StatusCode())
	}
	if paths := e.sink.paths(); len(paths) != 5 {
		t.Errorf("after the retry, %d paths written, want 5", len(paths))
	}
	if got := e.counter("crumbless_events_duplicate_total"); got != "0" {
		t.Errorf("duplicates: %s, want 0", got)
	}
}

func TestWindowExpires(t *testing.T) {
	e := newEnv(t, withSeen) // a one-minute window
	body := idsJSON("ev-1")
	e.do("POST", body, testOrigin)
	e.now = e.now.Add(90 * time.Second)
	e.do("POST", body, testOrigin) // still remembered: between one and two windows
	e.now = e.now.Add(3 * time.Minute)
	e.do("POST", body, testOrigin) // forgotten
	if got := e.sink.paths()["/ev-1"]; got != 2 {
		t.Errorf("ev-1 written %d times, want 2 (once, then again after the window)", got)
	}
}

// blockingSink holds the first write until released.
type blockingSink struct {
	memSink
	entered, release chan struct{}
	once             sync.Once
}

func (s *blockingSink) Append(ctx context.Context, b *sink.Record) error {
	first := false
	s.once.Do(func() { first = true })
	if first {
		close(s.entered)
		<-s.release
	}
	return s.memSink.Append(ctx, b)
}

func TestRetryOvertakingItsOriginal(t *testing.T) {
	bs := &blockingSink{entered: make(chan struct{}), release: make(chan struct{})}
	e := newEnv(t, func(c *Config) { withSeen(c); c.Sink = bs })
	body := idsJSON(ids(0, 3)...)
	first := make(chan int)
	go func() { first <- e.do("POST", body, testOrigin).Response.StatusCode() }()
	<-bs.entered
	ctx := e.do("POST", idsJSON("ev-002", "ev-050"), testOrigin) // ev-002 is being written
	if ctx.Response.StatusCode() != fasthttp.StatusServiceUnavailable || string(ctx.Response.Header.Peek(ReasonHeader)) != ReasonInFlight ||
		len(ctx.Response.Header.Peek("Retry-After")) == 0 {
		t.Errorf("overtaking retry: %d %s, want 503 in_flight with Retry-After", ctx.Response.StatusCode(), ctx.Response.Header.Peek(ReasonHeader))
	}
	close(bs.release)
	if st := <-first; st != fasthttp.StatusAccepted {
		t.Fatalf("original: %d", st)
	}
	if ctx := e.do("POST", idsJSON("ev-002", "ev-050"), testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("retry again: %d", ctx.Response.StatusCode())
	}
	paths := bs.paths()
	if len(paths) != 4 || paths["/ev-002"] != 1 || paths["/ev-050"] != 1 {
		t.Errorf("paths written: %v", paths)
	}
	if got := e.counter("crumbless_batches_in_flight_total"); got != "1" {
		t.Errorf("in flight counted %s, want 1", got)
	}
}

// countingRecorder counts the consent records it is given.
type countingRecorder struct{ n int }

func (r *countingRecorder) Write(_ context.Context, _ []byte, ins []record.Input) error {
	r.n += len(ins)
	return nil
}

// TestFailedRowsKeepWrittenRecords: when the records were written but the
// rows were not, the retry writes the rows and no second record.
func TestFailedRowsKeepWrittenRecords(t *testing.T) {
	rec := &countingRecorder{}
	e := newEnv(t, func(c *Config) { withSeen(c); c.Records = rec })
	b := wire.Batch{Version: wire.Version, Site: []byte("example.com"), SentAt: receive.UnixMilli()}
	b.Events = []wire.Event{
		{ID: []byte("c-1"), Kind: wire.KindConsent, TS: receive.UnixMilli() - 10, Method: []byte("banner"), States: []byte("1111")},
		{ID: []byte("p-1"), Kind: wire.KindPageview, TS: receive.UnixMilli() - 5, Path: []byte("/p-1")},
	}
	body := wire.AppendBatch(nil, &b)
	e.sink.err = errors.New("disk full")
	if ctx := e.do("POST", body, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusServiceUnavailable {
		t.Fatalf("status %d", ctx.Response.StatusCode())
	}
	e.sink.err = nil
	if ctx := e.do("POST", body, testOrigin); ctx.Response.StatusCode() != fasthttp.StatusAccepted {
		t.Fatalf("retry: status %d", ctx.Response.StatusCode())
	}
	if rec.n != 1 || e.sink.paths()["/p-1"] != 1 {
		t.Errorf("%d records, rows %v; want 1 record and the pageview once", rec.n, e.sink.paths())
	}
}
