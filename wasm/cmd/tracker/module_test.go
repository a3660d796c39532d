package main

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/crumbless/crumbless/sdk/wire"
	"github.com/crumbless/crumbless/wasm/core"
)

const t0 = int64(1_732_380_000_000)

// sentBatch is one call of the host's crumbless.send.
type sentBatch struct {
	mode uint32
	body []byte
}

// module is one instance of the shipped tracker with a host crumbless.send
// that records what it is given, as the loader would.
type module struct {
	t     testing.TB
	ctx   context.Context
	mod   api.Module
	abi   api.Function
	buf   api.Function
	feedF api.Function
	sent  []sentBatch
	loads int      // send mode 2: the module asked for the stored id
	store []string // crumbless.store calls; "" removes the id
	now   int64    // the time of the feed running: the loader's sent_at
}

func newModule(t testing.TB) *module {
	t.Helper()
	bin, err := os.ReadFile(shippedModule)
	if err != nil {
		t.Fatalf("reading the shipped module: %v", err)
	}
	m := &module{t: t, ctx: context.Background()}
	r := wazero.NewRuntime(m.ctx)
	t.Cleanup(func() { r.Close(m.ctx) })
	_, err = r.NewHostModuleBuilder("crumbless").NewFunctionBuilder().
		WithFunc(func(_ context.Context, mod api.Module, ptr, n, mode uint32) {
			body, ok := mod.Memory().Read(ptr, n)
			if !ok {
				t.Errorf("send(%d, %d): out of memory bounds", ptr, n)
				return
			}
			if mode == core.SendLoadID {
				m.loads++
				return
			}
			json, err := core.BatchJSON(body, m.now) // what the loader sends
			if err != nil {
				t.Errorf("send: a malformed batch: %v", err)
			}
			m.sent = append(m.sent, sentBatch{mode: mode, body: json})
		}).Export("send").
		NewFunctionBuilder().
		WithFunc(func(_ context.Context, mod api.Module, ptr, n uint32) {
			id, ok := mod.Memory().Read(ptr, n)
			if !ok {
				t.Errorf("store(%d, %d): out of memory bounds", ptr, n)
			}
			m.store = append(m.store, string(id))
		}).Export("store").Instantiate(m.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.mod, err = r.Instantiate(m.ctx, bin); err != nil {
		t.Fatalf("instantiating the shipped module: %v", err)
	}
	m.abi = m.mod.ExportedFunction("crumbless_abi")
	m.buf = m.mod.ExportedFunction("crumbless_buffer")
	m.feedF = m.mod.ExportedFunction("crumbless_feed")
	return m
}

// feed writes records into the module's input buffer, as the loader does,
// and calls crumbless_feed; it returns the next tick's delay.
func (m *module) feed(now int64, records ...[]byte) int32 {
	m.t.Helper()
	m.now = now
	var b []byte
	for _, r := range records {
		b = append(b, r...)
	}
	if len(b) > 0 {
		res, err := m.buf.Call(m.ctx, uint64(len(b)))
		if err != nil {
			m.t.Fatalf("crumbless_buffer(%d): %v", len(b), err)
		}
		if !m.mod.Memory().Write(uint32(res[0]), b) {
			m.t.Fatalf("crumbless_buffer(%d) = %d: not inside memory", len(b), res[0])
		}
	}
	res, err := m.feedF.Call(m.ctx, uint64(len(b)), api.EncodeF64(float64(now)))
	if err != nil {
		m.t.Fatalf("crumbless_feed(%d, %d): %v", len(b), now, err)
	}
	return int32(uint32(res[0]))
}

// parse checks a sent batch with the collector's parser and returns a copy
// of its events as "type name path" lines and their ids.
func parse(t testing.TB, body []byte) (site string, events []wire.Event) {
	t.Helper()
	var p wire.Parser
	b, err := p.Parse(body)
	if err != nil {
		t.Fatalf("the module sent an invalid batch: %v\n%s", err, body)
	}
	for _, e := range b.Events { // deep copy: the Parser reuses its memory
		c := e
		c.Props = append([]wire.Prop(nil), e.Props...)
		events = append(events, c)
	}
	return string(b.Site), events
}

var seed = "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	"\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f"

// pageRecord is the loader's page record on example.com: how the page
// came, its viewport width and path, then the referrer, title, language
// and time zone, as far as given.
func pageRecord(how, width, path string, rest ...string) []byte {
	return core.AppendRecord(nil, core.RecordPage, append([]string{how, "example.com", "", width, path}, rest...)...)
}

// initRecord is the init record followed by the policy record of an older
// collector: the module then sends as an ABI 1 module did.
func initRecord() []byte {
	return core.AppendRecord(core.AppendRecord(nil, core.RecordInit, "example.com", seed), core.RecordPolicy)
}

func TestModuleABIVersion(t *testing.T) {
	m := newModule(t)
	res, err := m.abi.Call(m.ctx)
	if err != nil || int32(res[0]) != core.ABIVersion {
		t.Errorf("crumbless_abi() = %v, %v; want %d", res, err, core.ABIVersion)
	}
}

func TestModuleSession(t *testing.T) {
	m := newModule(t)
	d := m.feed(t0,
		initRecord(),
		pageRecord(core.HowLoad, "390", "/pricing", "https://search.example/r", "Pricing", "de-DE", "Europe/Berlin"),
	)
	if d != core.FlushDelayMillis {
		t.Errorf("delay after the first event = %d, want %d", d, core.FlushDelayMillis)
	}
	if d := m.feed(t0+300, core.AppendRecord(nil, core.RecordEvent, "signup", "plan", "pro", "seats", "3")); d != core.FlushDelayMillis-300 {
		t.Errorf("delay after the second event = %d", d)
	}
	if d := m.feed(t0 + core.FlushDelayMillis - 1); d != 1 || len(m.sent) != 0 {
		t.Fatalf("tick before the delay: next %d, %d batches", d, len(m.sent))
	}
	if d := m.feed(t0 + core.FlushDelayMillis); d != -1 || len(m.sent) != 1 {
		t.Fatalf("tick at the delay: next %d, %d batches", d, len(m.sent))
	}
	m.feed(t0+5000, pageRecord(core.HowSPA, "", "/docs", "https://example.com/pricing"),
		core.AppendRecord(nil, core.RecordEvent, "download", "file", "a.pdf"),
		core.AppendRecord(nil, core.RecordHide))
	if len(m.sent) != 2 || m.sent[0].mode != core.SendNormal || m.sent[1].mode != core.SendBeacon {
		t.Fatalf("want a normal batch, then a beacon on hide; got %d batches", len(m.sent))
	}

	var got []string
	ids := map[string]bool{}
	for i, s := range m.sent {
		site, events := parse(t, s.body)
		if site != "example.com" {
			t.Errorf("batch %d: site %q", i, site)
		}
		for _, e := range events {
			var props []string
			for _, p := range e.Props {
				props = append(props, string(p.Key)+"="+string(p.Value))
			}
			got = append(got, strings.Join([]string{e.Kind.String(), string(e.Name), string(e.Path),
				string(e.Referrer), string(e.Title), string(e.Viewport), string(e.Lang), string(e.TZ),
				strconv.FormatInt(e.TS-t0, 10), strings.Join(props, "&")}, "|"))
			if ids[string(e.ID)] || !strings.HasPrefix(string(e.ID), "101112131415161718191a1b") {
				t.Errorf("id %q is repeated or does not start with the seed", e.ID)
			}
			ids[string(e.ID)] = true
		}
	}
	want := []string{
		"pageview||/pricing|https://search.example/r|Pricing|xs|de-DE|Europe/Berlin|0|",
		"custom|signup|/pricing||||||300|plan=pro&seats=3",
		"leave||/pricing||||||5000|", // /pricing's summary, as /docs replaces it
		"pageview||/docs|https://example.com/pricing|||||5000|",
		"custom|download|/docs||||||5000|file=a.pdf",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestModuleIgnoresBadInput(t *testing.T) {
	m := newModule(t)
	m.feed(t0, core.AppendRecord(nil, core.RecordEvent, "before-init"), []byte{0xff, 0xff, 0xff})
	m.feed(t0, initRecord(), core.AppendRecord(nil, 77, "unknown"), core.AppendRecord(nil, core.RecordEvent, "ok"), []byte{core.RecordEvent, 1, 9})
	// A length larger than the buffer reads nothing rather than past it.
	if _, err := m.feedF.Call(m.ctx, 1<<30, api.EncodeF64(float64(t0))); err != nil {
		t.Fatalf("feed with a bad length: %v", err)
	}
	m.feed(t0, core.AppendRecord(nil, core.RecordHide))
	if len(m.sent) != 1 {
		t.Fatalf("%d batches", len(m.sent))
	}
	if _, events := parse(t, m.sent[0].body); len(events) != 1 || string(events[0].Name) != "ok" {
		t.Errorf("events = %v", events)
	}
}

// TestModuleMemoryIsFixed runs 10,000 events through the module in large
// feeds, and a feed too large for the input buffer: the module has no heap
// (wasm/core/doc.go), so its memory never grows from its initial size.
func TestModuleMemoryIsFixed(t *testing.T) {
	m := newModule(t)
	start := m.mod.Memory().Size()
	m.feed(t0, initRecord())
	value := strings.Repeat("v", 400) // cut to 256 in the events
	var feed []byte
	for i := 0; i < 100; i++ {
		feed = core.AppendRecord(feed, core.RecordEvent, "e", "a", value, "b", value, "i", strconv.Itoa(i))
	}
	now := t0
	for round := 0; round < 100; round++ {
		now += 100
		m.feed(now, feed)
	}
	if res, err := m.buf.Call(m.ctx, core.MaxFeedBytes+1); err != nil || res[0] != 0 {
		t.Errorf("crumbless_buffer(MaxFeedBytes+1) = %v, %v; want 0: the loader drops such a feed", res, err)
	}
	m.feed(now, core.AppendRecord(nil, core.RecordHide))
	events := 0
	for _, s := range m.sent {
		_, e := parse(t, s.body)
		events += len(e)
	}
	if events != 100*100 {
		t.Errorf("%d events arrived, want %d", events, 100*100)
	}
	if end := m.mod.Memory().Size(); end != start {
		t.Errorf("memory went from %d to %d bytes: the module must not allocate", start, end)
	}
	t.Logf("memory: %d KiB, fixed", start>>10)
}
