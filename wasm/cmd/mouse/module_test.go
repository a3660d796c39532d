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

// module is one instance of the shipped add-on module, driven as mouse.js
// drives it.
type module struct {
	t   *testing.T
	ctx context.Context
	mod api.Module
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
	return &module{t: t, ctx: ctx, mod: mod}
}

// feed calls mouse_feed(kind, now, args...) and returns the events it
// wrote, one a line.
func (m *module) feed(kind int32, now float64, args ...int32) string {
	m.t.Helper()
	params := []uint64{api.EncodeI32(kind), api.EncodeF64(now)}
	for i := range 12 {
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
	n := uint32(res[0])
	if kind == 11 || n == 0 {
		return ""
	}
	out, _ := m.mod.ExportedFunction("mouse_out").Call(m.ctx)
	b, ok := m.mod.Memory().Read(uint32(out[0]), n)
	if !ok {
		m.t.Fatalf("output of %d bytes out of bounds", n)
	}
	return string(b)
}

// element interns sel and returns its id.
func (m *module) element(sel string) int32 {
	in, _ := m.mod.ExportedFunction("mouse_in").Call(m.ctx)
	m.mod.Memory().Write(uint32(in[0]), []byte(sel))
	params := make([]uint64, 14)
	params[0], params[2] = api.EncodeI32(11), api.EncodeI32(int32(len(sel)))
	res, err := m.mod.ExportedFunction("mouse_feed").Call(m.ctx, params...)
	if err != nil {
		m.t.Fatal(err)
	}
	return int32(res[0])
}

func TestShippedInterface(t *testing.T) {
	m := newModule(t)
	var names []string
	for name := range m.mod.ExportedFunctionDefinitions() {
		names = append(names, name)
	}
	slices.Sort(names)
	if strings.Join(names, ",") != "mouse_feed,mouse_in,mouse_out" || m.mod.Memory() == nil {
		t.Errorf("exports %v", names)
	}
	if len(m.mod.ExportedFunction("mouse_feed").Definition().ParamTypes()) != 14 {
		t.Error("mouse_feed does not take kind, now and 12 numbers")
	}
}

// TestShippedRageAndDeadClicks drives the shipped module: a rage click is
// one signal with its element, a double-click is none, a click nothing
// answers is a dead click, and the heatmap names its element.
func TestShippedRageAndDeadClicks(t *testing.T) {
	m := newModule(t)
	const t0 = 1_732_380_000_000
	m.feed(1, t0, 1, 1280, 1280, 3000)
	buy, link := m.element("#buy"), m.element("main>a:nth-of-type(2)")
	click := func(at float64, el, x int32) {
		m.feed(5, at, x, 500, x, 500, el, 100, 480, 200, 40, 1, 0, 90)
	}
	for i := range 4 {
		click(t0+1000+float64(i)*150, buy, 150)
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
