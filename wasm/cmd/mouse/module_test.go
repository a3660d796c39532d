package main

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// shippedModule is what mouse.js instantiates; `make dist` builds it.
const shippedModule = "../../../sdk/dist/mouse.wasm"

// Offsets in the buffer mouse_io points to (main.go).
const (
	recordsAt = 256
	eventsAt  = 3328
)

// module is one instance of the shipped add-on module, driven as mouse.js
// drives it.
type module struct {
	t       *testing.T
	ctx     context.Context
	mod     api.Module
	io      uint32
	records int // pointer records written and not yet handed over
}

func newModule(t *testing.T) *module {
	t.Helper()
	bin, err := os.ReadFile(shippedModule)
	if err != nil {
		t.Fatalf("reading the shipped module: %v", err)
	}
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	t.Cleanup(func() { r.Close(ctx) })
	mod, err := r.Instantiate(ctx, bin)
	if err != nil {
		t.Fatalf("instantiating: %v", err)
	}
	io, err := mod.ExportedFunction("mouse_io").Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &module{t: t, ctx: ctx, mod: mod, io: uint32(io[0])}
}

// call calls mouse_feed(kind, now, args...) and returns its result.
func (m *module) call(kind, now int32, args ...int32) uint32 {
	m.t.Helper()
	params := []uint64{api.EncodeI32(kind), api.EncodeI32(now)}
	for i := range 4 {
		v := int32(0)
		if i < len(args) {
			v = args[i]
		}
		params = append(params, api.EncodeI32(v))
	}
	res, err := m.mod.ExportedFunction("mouse_feed").Call(m.ctx, params...)
	if err != nil {
		m.t.Fatalf("mouse_feed(%d): %v", kind, err)
	}
	return uint32(res[0])
}

// feed hands over the pointer records waiting (kind 4), as mouse.js does
// before every other observation, then calls mouse_feed(kind, now,
// args...) and returns the events it wrote, one a line.
func (m *module) feed(kind, now int32, args ...int32) string {
	m.t.Helper()
	if n := m.call(4, now, int32(m.records)); n != 0 {
		m.t.Errorf("kind 4 wrote %d bytes", n)
	}
	m.records = 0
	n := m.call(kind, now, args...)
	if n == 0 {
		return ""
	}
	b, ok := m.mod.Memory().Read(m.io+eventsAt, n)
	if !ok {
		m.t.Fatalf("output of %d bytes out of bounds", n)
	}
	return string(b)
}

// record writes a pointer record (main.go) after those waiting.
func (m *module) record(rec [12]int32) {
	m.t.Helper()
	if m.records == 64 {
		m.t.Fatal("64 records wait")
	}
	at := m.io + recordsAt + uint32(m.records)*48
	for i, v := range rec {
		m.mod.Memory().WriteUint32Le(at+uint32(i)*4, uint32(v))
	}
	m.records++
}

// element interns sel and returns its id.
func (m *module) element(sel string) int32 {
	m.mod.Memory().Write(m.io, []byte(sel))
	return int32(m.call(0, 0, int32(len(sel))))
}

func TestShippedInterface(t *testing.T) {
	m := newModule(t)
	var names []string
	for name := range m.mod.ExportedFunctionDefinitions() {
		names = append(names, name)
	}
	slices.Sort(names)
	if strings.Join(names, ",") != "mouse_feed,mouse_io" || m.mod.Memory() == nil {
		t.Errorf("exports %v", names)
	}
	params := m.mod.ExportedFunction("mouse_feed").Definition().ParamTypes()
	if len(params) != 6 || slices.ContainsFunc(params, func(p api.ValueType) bool { return p != api.ValueTypeI32 }) {
		t.Error("mouse_feed does not take kind, now and 4 numbers, all i32")
	}
	if size := m.mod.Memory().Size(); m.io+eventsAt+64<<10 > size {
		t.Errorf("the buffer at %d does not fit in the memory's %d bytes", m.io, size)
	}
}

// TestShippedRageAndDeadClicks drives the shipped module: a rage click is
// one signal with its element, a double-click is none, a click nothing
// answers is a dead click, and the heatmap names its element.
func TestShippedRageAndDeadClicks(t *testing.T) {
	m := newModule(t)
	const t0 = 5_000
	m.feed(1, t0, 1, 1280, 1280, 3000)
	buy, link := m.element("#buy"), m.element("main>a:nth-of-type(2)")
	click := func(at, el, x int32) {
		m.record([12]int32{at, x, 500, x, 500, el, 100, 480, 200, 40, 1 | 2, 90})
		m.feed(4, at)
	}
	for i := range int32(4) {
		click(t0+1000+i*150, buy, 150)
	}
	click(t0+3000, link, 900)
	click(t0+3200, link, 900)
	m.feed(7, t0+3300) // the link's double-click answered: a mutation
	click(t0+5000, buy, 160)
	got := m.feed(3, t0+8000, 1)
	for _, want := range []string{"$rage_click\tselector\t#buy\tcount\t4\n", "$dead_click\tselector\t#buy\n", "\ts1\t#buy", "\ts2\tmain>a:nth-of-type(2)", "$bot\tscore\t"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Count(got, "$rage_click") != 1 || strings.Count(got, "$dead_click") != 1 {
		t.Errorf("signals once each:\n%s", got)
	}
}

// TestShippedMovesInOneCall: movement records written without a call are
// taken, in order and at their own times, by the next observation: the
// heatmap counts them in the grid and in their element's box, and a sample
// less than 8 ms after the last is dropped.
func TestShippedMovesInOneCall(t *testing.T) {
	m := newModule(t)
	m.feed(1, 1000, 1, 1280, 1000, 1000)
	card := m.element("#card")
	for i := range int32(40) { // every 16 ms, then 4 ms after the last
		at := 2000 + i*16
		if i == 39 {
			at = 2000 + 38*16 + 4
		}
		m.record([12]int32{at, 105, 105, 105, 105, card, 100, 100, 100, 100, 1, 0})
	}
	if m.records != 40 {
		t.Fatal(m.records)
	}
	got := m.feed(3, 3000, 1)
	for _, want := range []string{"m5.10:39", "n1.0.0:39", "\ts1\t#card", "$bot\tscore\t"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

// TestShippedSliceMarks: the marks of a slice (flags 8 and 16, the still
// time in the last field) reach the bot score. Clicks far from where the
// pointer was last seen are not approached while it is observed, and
// count for neither side after its slice ended.
func TestShippedSliceMarks(t *testing.T) {
	for _, ended := range []bool{false, true} {
		m := newModule(t)
		m.feed(1, 1000, 1, 1280, 1000, 1000)
		for i := range int32(16) {
			flags := int32(1)
			if i == 0 {
				flags |= 8 // (the first slice follows no gap: the bot takes it as a first sample all the same)
			}
			if i == 15 && ended {
				flags |= 16
			}
			m.record([12]int32{2000 + i*17, 100 + i*10, 100, 100 + i*10, 100, 0, 0, 0, 0, 0, flags, 0})
		}
		m.feed(4, 2300)
		for i := range int32(3) {
			m.record([12]int32{3000 + i*700, 900, 600 - i*200, 900, 600 - i*200, 0, 0, 0, 0, 0, 1 | 2, 90})
			m.feed(4, 3000+i*700)
		}
		got := m.feed(3, 6000, 1)
		if noApproach := strings.Contains(got, "noapproach"); noApproach == ended || !strings.Contains(got, "$bot\tscore\t") {
			t.Errorf("slice ended %v: %q", ended, got)
		}
	}
}
