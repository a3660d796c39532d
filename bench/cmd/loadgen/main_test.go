package main

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/sdk/wire"
)

// ids parses body as the collector does and returns its event ids.
func ids(t *testing.T, body []byte) []string {
	t.Helper()
	var p wire.Parser
	b, err := p.Parse(body)
	if err != nil {
		t.Fatalf("the body is not a valid batch: %v\n%s", err, body)
	}
	var out []string
	for _, e := range b.Events {
		out = append(out, string(e.ID))
	}
	return out
}

func TestTemplateSendsFreshIDs(t *testing.T) {
	const events = 20
	seen := map[string]bool{}
	// Two connections of one run, and a connection of another run.
	for _, tt := range []struct {
		run  uint32
		conn uint16
	}{{1, 0}, {1, 1}, {2, 0}} {
		tpl := newTemplate("shop.example", events, tt.run, tt.conn, 1_700_000_000_000)
		for range 300 {
			got := ids(t, tpl.next())
			if len(got) != events {
				t.Fatalf("%d events, want %d", len(got), events)
			}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("event id %q sent twice", id)
				}
				seen[id] = true
			}
		}
	}
}

func TestTemplateIDs(t *testing.T) {
	tpl := newTemplate("shop.example", 3, 0xdeadbeef, 7, 1_700_000_000_000)
	tpl.next()
	got := strings.Join(ids(t, tpl.next()), " ")
	want := "deadbeef-0007-000000000002-00 deadbeef-0007-000000000002-01 deadbeef-0007-000000000002-02"
	if got != want {
		t.Errorf("ids\n%s\nwant\n%s", got, want)
	}
	tpl.n = 1<<48 - 2 // the last sequence number that fits
	if got := ids(t, tpl.next())[0]; got != "deadbeef-0007-ffffffffffff-00" {
		t.Errorf("last id %q", got)
	}
}

func TestTemplateNextAllocatesNothing(t *testing.T) {
	tpl := newTemplate("shop.example", 20, 1, 0, 1_700_000_000_000)
	if n := testing.AllocsPerRun(1000, func() { tpl.next() }); n != 0 {
		t.Errorf("next allocates %v times per request, want 0", n)
	}
}

// BenchmarkNext is the generator's cost of a body per request.
func BenchmarkNext(b *testing.B) {
	tpl := newTemplate("shop.example", 20, 1, 0, 1_700_000_000_000)
	b.SetBytes(int64(len(tpl.body)))
	for b.Loop() {
		tpl.next()
	}
}

// BenchmarkGzipEachBody is what compressing each body again would cost
// instead (the reason loadgen sends plain JSON): see bench/RESULTS.md.
func BenchmarkGzipEachBody(b *testing.B) {
	for _, level := range []int{gzip.BestSpeed, gzip.DefaultCompression} {
		b.Run(map[int]string{gzip.BestSpeed: "BestSpeed", gzip.DefaultCompression: "Default"}[level], func(b *testing.B) {
			tpl := newTemplate("shop.example", 20, 1, 0, 1_700_000_000_000)
			var out bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&out, level)
			b.SetBytes(int64(len(tpl.body)))
			for b.Loop() {
				out.Reset()
				zw.Reset(&out)
				zw.Write(tpl.next())
				zw.Close()
			}
		})
	}
}
