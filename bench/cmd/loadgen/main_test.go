package main

import (
	"bytes"
	"compress/gzip"
	"io"
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

func gunzip(t *testing.T, body []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGzipBodies: the pre-built gzip bodies carry fresh ids, and so do the
// ones compressed once they run out; with reuse they come round again.
func TestGzipBodies(t *testing.T) {
	const built = 50
	tpl := newTemplate("shop.example", 20, 1, 0, 1_700_000_000_000)
	tpl.compress(built)
	seen := map[string]bool{}
	for i := range built + 10 {
		body, live, reused := tpl.nextGzip(false)
		if live != (i >= built) || reused {
			t.Fatalf("body %d: live %v reused %v", i, live, reused)
		}
		for _, id := range ids(t, gunzip(t, body)) {
			if seen[id] {
				t.Fatalf("event id %q sent twice", id)
			}
			seen[id] = true
		}
	}
	again := newTemplate("shop.example", 20, 1, 0, 1_700_000_000_000)
	again.compress(built)
	first, _, _ := again.nextGzip(true)
	first = bytes.Clone(first)
	for range built - 1 {
		again.nextGzip(true)
	}
	if body, live, reused := again.nextGzip(true); live || !reused || !bytes.Equal(body, first) {
		t.Fatalf("with reuse, body %d is not the first again (live %v, reused %v)", built, live, reused)
	}
}
