//go:build !race

package row

import (
	"bytes"
	"testing"

	"github.com/crumbless/crumbless/sdk/wire"
)

// TestParseAndRowsAllocateNothing holds the steady state of the ingest hot
// path's core, parsing a batch and writing its rows, to zero allocations.
func TestParseAndRowsAllocateNothing(t *testing.T) {
	src := batchOf(20)
	var p wire.Parser
	c := fullContext()
	var out []byte
	run := func() {
		b, err := p.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		c.SentAt = b.SentAt
		out = AppendRows(out[:0], b, c)
	}
	run() // warm the parser and the buffer
	if n := testing.AllocsPerRun(200, run); n != 0 {
		t.Errorf("parse + rows allocate %.1f times per batch, want 0", n)
	}
}

func TestLongMarksAllocateNothing(t *testing.T) {
	long := bytes.Repeat([]byte("g"), 64)
	e := fullEvent()
	c := fullContext()
	c.Marks = []Mark{{Channel: "organic_search", Source: long, Goal: long, Stage: long[:32]}}
	out := AppendRow(nil, e, c)
	if n := testing.AllocsPerRun(100, func() { out = AppendRow(out[:0], e, c) }); n != 0 {
		t.Errorf("%.1f allocations per row, want 0", n)
	}
}
