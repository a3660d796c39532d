package ingest

import (
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/crumbless/crumbless/collector/region"
	"github.com/crumbless/crumbless/consent"
	"github.com/crumbless/crumbless/sdk/wire"
)

// claimJSON is batchJSON with the page's claim.
func claimJSON(n int, tier, flags, uid, signals string) []byte {
	var p wire.Parser
	b, err := p.Parse(batchJSON("example.com", n))
	if err != nil {
		panic(err)
	}
	b.Tier, b.Flags, b.UID, b.Signals = []byte(tier), []byte(flags), []byte(uid), []byte(signals)
	return wire.AppendBatch(nil, b)
}

func withRegions(c *Config) {
	c.Regions, _ = region.New(region.Config{CountryHeader: "CF-IPCountry"})
}

func TestT0DropsEventsButAccepts(t *testing.T) {
	e := newEnv(t, withRegions)
	site, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	site.Consent.Policy = consent.DefaultPolicy()
	site.Consent.Policy.Basis = consent.BasisConsent
	ctx := newRequestCtx(claimJSON(3, "T2", "", "", ""))
	ctx.Request.Header.Set("CF-IPCountry", "FR")
	e.h.Handle(ctx)
	if ctx.Response.StatusCode() != fasthttp.StatusAccepted || len(e.sink.batches) != 0 {
		t.Fatalf("status %d, %d batches", ctx.Response.StatusCode(), len(e.sink.batches))
	}
	if got := e.counter(`crumbless_events_dropped_total{reason="tier_t0"}`); got != "3" {
		t.Errorf("dropped = %q", got)
	}
}

func TestClaimIsNeverRaised(t *testing.T) {
	e := newEnv(t, withRegions)
	site, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	site.Consent.Policy = consent.DefaultPolicy()
	for _, tt := range []struct{ tier, flags, want string }{
		{"T1", "", `"tier":"T1"`}, {"T3", "", `"tier":"T3"`}, {"", "", `"tier":"T3"`}, {"T9", "", `"tier":"T3"`}, {"T2", "x", `"tier":"T3"`},
	} {
		e.sink.batches = nil
		ctx := newRequestCtx(claimJSON(1, tt.tier, tt.flags, "u1", ""))
		ctx.Request.Header.Set("CF-IPCountry", "US")
		e.h.Handle(ctx)
		if len(e.sink.batches) != 1 || !strings.Contains(string(e.sink.batches[0].Rows), tt.want) {
			t.Errorf("claim %q/%q: %v", tt.tier, tt.flags, e.sink.batches)
		}
	}
	if got := e.counter(`crumbless_consent_ignored_total{reason="bad_claim"}`); got != "2" {
		t.Errorf("bad_claim = %q", got)
	}
}

func TestDNTHeaderInEU(t *testing.T) {
	e := newEnv(t, withRegions)
	site, _ := e.h.cfg.Sites.Lookup([]byte("example.com"))
	site.Consent.Policy = consent.DefaultPolicy()
	ctx := newRequestCtx(claimJSON(1, "T2", "", "", ""))
	ctx.Request.Header.Set("CF-IPCountry", "IT")
	ctx.Request.Header.Set("DNT", "1")
	e.h.Handle(ctx)
	rows := string(e.sink.batches[0].Rows)
	if !strings.Contains(rows, `"tier":"T1"`) || strings.Contains(rows, "visitor_id") || !strings.Contains(rows, `"DNT"`) {
		t.Errorf("rows %s", rows)
	}
	if got := e.counter(`crumbless_events_clamped_total{reason="DNT"}`); got != "1" {
		t.Errorf("clamped DNT = %q", got)
	}
}
