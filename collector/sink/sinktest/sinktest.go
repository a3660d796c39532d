// Package sinktest is the conformance suite every sink.Sink passes: the
// file sink, Kafka and S3 run it from their tests against the real thing
// (files read back, an in-process Kafka-protocol cluster, an S3-compatible
// server).
//
//	func TestConformance(t *testing.T) {
//		sinktest.Run(t, sinktest.Harness{Open: openForTest})
//	}
//
// The suite checks the contract in collector/sink: ErrNotConnected before
// Connect, every row stored once and byte for byte with its kind, safety
// for concurrent use, ErrClosed after Close and an idempotent Close, a
// batch of a mebibyte, a cancelled context that does not hang, and the
// whole path from a real spool through the sinks framework's relay.
package sinktest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
)

// Row is one stored row as the sink's reader found it.
type Row struct {
	Kind sink.Kind
	// Line is the row without its newline.
	Line string
}

// Harness is what the suite needs of one sink.
type Harness struct {
	// Open returns a new sink, not connected, and a function that reads
	// back every row it stored; the suite calls read after the sink is
	// closed. Each call is independent of the others (its own directory,
	// topic prefix or bucket).
	Open func(t *testing.T) (s sink.Sink, read func(t *testing.T) []Row)
	// Kinds are the kinds the sink stores; nil means events only. No
	// batch is handed twice in the suite, so every sink, exactly-once or
	// at-least-once, must store each row once; the fault tests of each
	// sink cover replays.
	Kinds []sink.Kind
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	if h.Kinds == nil {
		h.Kinds = []sink.Kind{sink.KindEvents}
	}
	t.Run("NotConnected", func(t *testing.T) { notConnected(t, h) })
	t.Run("RoundTrip", func(t *testing.T) { roundTrip(t, h) })
	t.Run("Concurrent", func(t *testing.T) { concurrent(t, h) })
	t.Run("Closed", func(t *testing.T) { closed(t, h) })
	t.Run("LargeBatch", func(t *testing.T) { largeBatch(t, h) })
	t.Run("CancelledContext", func(t *testing.T) { cancelled(t, h) })
	t.Run("ThroughRelay", func(t *testing.T) { throughRelay(t, h) })
}

func notConnected(t *testing.T, h Harness) {
	s, read := h.Open(t)
	g := newGen(h.Kinds)
	err := s.WriteBatch(t.Context(), g.batch(3, 2))
	if !errors.Is(err, sink.ErrNotConnected) {
		t.Errorf("WriteBatch before Connect = %v, want ErrNotConnected", err)
	}
	connect(t, s)
	closeSink(t, s)
	if rows := read(t); len(rows) != 0 {
		t.Errorf("%d rows stored from a write before Connect", len(rows))
	}
}

func roundTrip(t *testing.T, h Harness) {
	s, read := h.Open(t)
	connect(t, s)
	g := newGen(h.Kinds)
	for i := range 20 {
		write(t, s, g.batch(1+i%10, 1+i%4))
	}
	closeSink(t, s)
	g.check(t, read(t))
}

func concurrent(t *testing.T, h Harness) {
	s, read := h.Open(t)
	connect(t, s)
	g := newGen(h.Kinds)
	batches := make([]*sink.Batch, 32)
	for i := range batches {
		batches[i] = g.batch(1+i%5, 3)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(batches))
	for i, b := range batches {
		wg.Go(func() { errs[i] = s.WriteBatch(t.Context(), b) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent WriteBatch: %v", err)
	}
	closeSink(t, s)
	g.check(t, read(t))
}

func closed(t *testing.T, h Harness) {
	s, read := h.Open(t)
	connect(t, s)
	g := newGen(h.Kinds)
	write(t, s, g.batch(2, 2))
	closeSink(t, s)
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	late := newGen(h.Kinds)
	if err := s.WriteBatch(t.Context(), late.batch(1, 1)); !errors.Is(err, sink.ErrClosed) {
		t.Errorf("WriteBatch after Close = %v, want ErrClosed", err)
	}
	g.check(t, read(t))
}

func largeBatch(t *testing.T, h Harness) {
	s, read := h.Open(t)
	connect(t, s)
	g := newGen(h.Kinds)
	g.pad = 900 // about 1 KiB a row: a record of 1,024 rows is a mebibyte
	write(t, s, g.batch(1, 1024))
	write(t, s, g.batch(4, 64))
	closeSink(t, s)
	g.check(t, read(t))
}

// cancelled writes with a context that has ended: the sink may refuse the
// batch or store it, but must answer promptly; a batch it took is stored.
func cancelled(t *testing.T, h Harness) {
	s, read := h.Open(t)
	connect(t, s)
	g := newGen(h.Kinds)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	b := g.batch(2, 2)
	done := make(chan error, 1)
	go func() { done <- s.WriteBatch(ctx, b) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("WriteBatch with a cancelled context did not return within 10s")
	}
	if err != nil {
		g.forget(b)
	}
	write(t, s, g.batch(2, 2))
	closeSink(t, s)
	g.check(t, read(t))
}

func connect(t *testing.T, s sink.Sink) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if err := s.Connect(ctx); err != nil {
		t.Fatalf("Connect: %v", err)
	}
}

func write(t *testing.T, s sink.Sink, b *sink.Batch) {
	t.Helper()
	if err := s.WriteBatch(t.Context(), b); err != nil {
		t.Fatalf("WriteBatch: %v", err)
	}
}

func closeSink(t *testing.T, s sink.Sink) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// check compares the rows read back with the rows written: each once,
// byte for byte, with its kind.
func (g *gen) check(t *testing.T, got []Row) {
	t.Helper()
	seen := map[Row]int{}
	for _, r := range got {
		seen[r]++
	}
	missing, twice, unknown := 0, 0, 0
	for r, n := range seen {
		switch {
		case !g.want[r]:
			unknown++
			if unknown <= 3 {
				t.Errorf("stored a row that was not written (or with another kind): %s %.200s", r.Kind, r.Line)
			}
		case n > 1:
			twice++
			if twice <= 3 {
				t.Errorf("row stored %d times: %.200s", n, r.Line)
			}
		}
	}
	for r := range g.want {
		if seen[r] == 0 {
			missing++
			if missing <= 3 {
				t.Errorf("row not stored: %s %.200s", r.Kind, r.Line)
			}
		}
	}
	if missing+twice+unknown > 0 {
		t.Errorf("%d rows read back for %d written: %d missing, %d stored more than once, %d unknown",
			len(got), len(g.want), missing, twice, unknown)
	}
}

func (r Row) String() string { return fmt.Sprintf("%s:%s", r.Kind, r.Line) }
