package main

import (
	"context"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/consent/consenttest"
	"github.com/crumbless/crumbless/sdk/wire"
	"github.com/crumbless/crumbless/wasm/core"
)

// policyRecord is what the loader feeds from GET /c: the policy line, the
// region line, then the profile the edge computes natively for the region
// with ProfileFor (collector/policy_endpoint.go).
func policyRecord(p consent.Policy, r consent.Region) []byte {
	prof, _ := p.ProfileFor(r)
	body := consent.AppendRegion(append(consent.AppendPolicy(nil, &p), '\n'), r)
	body = consent.AppendProfileLetter(append(body, '\n'), prof)
	return core.AppendRecord(nil, core.RecordPolicy, string(body))
}

func rec(kind byte, fields ...string) []byte { return core.AppendRecord(nil, kind, fields...) }

// head parses a sent batch's consent fields.
func head(t testing.TB, body []byte) (tier, flags, uid string, n int) {
	t.Helper()
	var p wire.Parser
	b, err := p.Parse(body)
	if err != nil {
		t.Fatalf("invalid batch: %v\n%s", err, body)
	}
	return string(b.Tier), string(b.Flags), string(b.UID), len(b.Events)
}

func TestModuleConsentFlow(t *testing.T) {
	m := newModule(t)
	p := consent.Policy{Basis: consent.BasisExempt, Authority: consent.SourceAPI, WaitMillis: 500, ValidityDays: 390}
	fr := consent.Region{Country: "FR"}
	m.feed(t0, rec(core.RecordInit, "example.com", seed), rec(core.RecordNav, "", ""), policyRecord(p, fr),
		pageRecord(core.HowLoad, "1280", "/"))
	if m.feed(t0 + 499); len(m.sent) != 0 {
		t.Fatal("sent while waiting for consent")
	}
	m.feed(t0 + 500)
	m.feed(t0 + 600 + core.FlushDelayMillis)
	if len(m.sent) != 1 {
		t.Fatalf("%d batches after the wait", len(m.sent))
	}
	if tier, _, uid, n := head(t, m.sent[0].body); tier != "T2" || uid != "" || n != 1 || m.loads != 0 || len(m.store) != 0 {
		t.Fatalf("EU, exempt: tier %s uid %q, %d events, %d loads, stores %q", tier, uid, n, m.loads, m.store)
	}

	m.feed(t0+3000, rec(core.RecordConsent, "measurement", "granted", "analytics", "granted"))
	if m.loads != 1 {
		t.Fatalf("a grant: %d loads of the stored id, want 1", m.loads)
	}
	m.feed(t0+3001, rec(core.RecordUID, ""), rec(core.RecordEvent, "linked"), rec(core.RecordHide))
	if len(m.store) != 1 || !strings.HasPrefix(m.store[0], "202122232425262728292a2b2c2d2e2f.") {
		t.Fatalf("stores %q: want a new id made from the seed", m.store)
	}
	if tier, _, uid, n := head(t, m.sent[1].body); tier != "T3" || uid != "202122232425262728292a2b2c2d2e2f" || n != 3 {
		t.Fatalf("after the grant: tier %s uid %q, %d events (the consent event, one, the leave summary)", tier, uid, n)
	}

	m.feed(t0+4000, rec(core.RecordConsent, "withdraw"), rec(core.RecordEvent, "after"), rec(core.RecordHide))
	if len(m.store) != 2 || m.store[1] != "" {
		t.Fatalf("withdrawal: stores %q, want the id removed", m.store)
	}
	for _, s := range m.sent[2:] {
		if tier, _, uid, _ := head(t, s.body); tier == "T3" || uid != "" {
			t.Errorf("after withdrawal: tier %s uid %q", tier, uid)
		}
	}
}

func TestModuleT0SendsNothing(t *testing.T) {
	m := newModule(t)
	p := consent.Policy{Basis: consent.BasisConsent, Authority: consent.SourceAPI, WaitMillis: 500}
	m.feed(t0, rec(core.RecordInit, "example.com", seed), policyRecord(p, consent.Region{Country: "DE"}),
		pageRecord(core.HowLoad, "1280", "/"), rec(core.RecordEvent, "e"))
	m.feed(t0+10_000, rec(core.RecordHide))
	if len(m.sent) != 0 || m.loads != 0 || len(m.store) != 0 {
		t.Errorf("consent basis, no choice: %d batches, %d loads, stores %q", len(m.sent), m.loads, m.store)
	}
}

// TestModuleDecidesAsTheCollector is the page/edge equivalence: the shipped
// module, fed a case's policy, region, the profile ProfileFor computes
// natively for that region (what the edge sends as /c's third line) and
// signals as records, must put the same tier and flags on its batch as
// consent.Decide gives natively (what the collector runs) for every case.
func TestModuleDecidesAsTheCollector(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 1000
	}
	bin := replayModule(t) // the shipped module leaves out RecordSignals
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	var sent [][]byte
	_, err := r.NewHostModuleBuilder("crumbless").
		NewFunctionBuilder().WithFunc(func(_ context.Context, mod api.Module, ptr, n, mode uint32) {
		if mode != core.SendLoadID {
			b, _ := mod.Memory().Read(ptr, n)
			json, err := core.BatchJSON(b, t0)
			if err != nil {
				t.Errorf("send: a malformed batch: %v", err)
			}
			sent = append(sent, json)
		}
	}).Export("send").
		NewFunctionBuilder().WithFunc(func(context.Context, api.Module, uint32, uint32) {}).Export("store").
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	mismatches := 0
	seen := map[string]int{} // tier and flags, to show the cases cover them
	for i, c := range consenttest.Cases(20261123, n) {
		mod, err := r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		m := &module{t: t, ctx: ctx, mod: mod, buf: mod.ExportedFunction("crumbless_buffer"),
			feedF: mod.ExportedFunction("crumbless_feed")}
		sent = sent[:0]
		m.feed(t0, rec(core.RecordInit, "example.com", seed), policyRecord(c.Policy, c.Region),
			core.AppendSignalsRecord(nil, &c.Signals),
			rec(core.RecordEvent, "e"), rec(core.RecordHide))
		mod.Close(ctx)

		want := c.Decide()
		wantTier, wantFlags := want.Tier.String(), string(consent.AppendFlags(nil, want))
		gotTier, gotFlags := "T0", ""
		if len(sent) > 1 {
			t.Fatalf("case %d: %d batches", i, len(sent))
		}
		if len(sent) == 1 {
			gotTier, gotFlags, _, _ = head(t, sent[0])
		}
		seen[wantTier+wantFlags]++
		if gotTier != wantTier || gotFlags != wantFlags {
			mismatches++
			if mismatches <= 5 {
				t.Errorf("case %d %+v: module %s %q, consent.Decide %s %q", i, c, gotTier, gotFlags, wantTier, wantFlags)
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d cases differ", mismatches, n)
	}
	t.Logf("%d cases; decisions: %v", n, seen)
	if len(seen) < 6 {
		t.Errorf("the cases cover only %v", seen)
	}
}

// TestModuleConsentMemoryStaysBounded runs 3,000 rounds of every consent
// record through the module: Consent Mode defaults and updates, TCF and GPP
// callbacks with their strings, grants that reach T3 (and the stored id's
// read), withdrawals, and events in between. Memory must stay flat: no
// record may leave garbage behind for good.
func TestModuleConsentMemoryStaysBounded(t *testing.T) {
	m := newModule(t)
	p := consent.Policy{Basis: consent.BasisConsent, Authority: consent.SourceAPI, WaitMillis: 500, ValidityDays: 390}
	m.feed(t0, rec(core.RecordInit, "example.com", seed), rec(core.RecordNav, "1", ""),
		policyRecord(p, consent.Region{Country: "US", Subdivision: "CA"}), pageRecord(core.HowLoad, "1280", "/"))
	tc := strings.Repeat("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA", 40)
	now := t0 + 1000
	var warm uint32
	for round := 0; round < 3000; round++ {
		now += 10
		m.feed(now,
			rec(core.RecordGCM, "default", "analytics_storage", "denied", "ad_storage", "denied", "region", "US-CA, FR", "wait_for_update", "500"),
			rec(core.RecordGCM, "update", "analytics_storage", "granted"),
			rec(core.RecordTCF, "1", "useractioncomplete", "769", "0", tc),
			rec(core.RecordGPP, "ready", "1", "0", "0", "", tc),
			rec(core.RecordConsent, "measurement", "granted", "analytics", "granted"),
			rec(core.RecordUID, "00112233445566778899aabbccddeeff.1"),
			rec(core.RecordEvent, "e", "k", "v"),
			rec(core.RecordConsent, "withdraw"),
			rec(core.RecordEvent, "after"),
		)
		if round == 100 {
			warm = m.mod.Memory().Size()
		}
	}
	m.feed(now, rec(core.RecordHide))
	if m.loads < 3000 || len(m.sent) == 0 {
		t.Fatalf("%d loads of the stored id, %d batches: the rounds did not run", m.loads, len(m.sent))
	}
	if end := m.mod.Memory().Size(); end > warm+64<<10 {
		t.Errorf("memory grew from %d to %d bytes over 2,900 rounds of consent records", warm, end)
	}
	t.Logf("memory: %d KiB after 100 rounds, %d KiB after 3,000", warm>>10, m.mod.Memory().Size()>>10)
}
