package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/crumbless/crumbless/consent/tcf"
)

// The consent engine end to end: the collector's region comes from a CDN
// header (region.country_header), which the browser sends on every request
// through CDP, as a CDN in front of the collector would add it.

// consentSite starts a collector whose one site, shop.example, has the
// consent settings given as YAML lines, and a page server whose page
// /p.html runs head (a CMP stub, say; COLLECTOR_URL in it stands for the
// collector's URL) before the tag. It returns the page URL, the collector and
// its data directory.
func consentSite(t *testing.T, consentYAML, head string) (page string, col *collector, data string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := fmt.Sprintf("http://localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	data = t.TempDir()
	config := filepath.Join(t.TempDir(), "crumbless.yaml")
	writeFile(t, config, fmt.Sprintf("region:\n  country_header: CF-IPCountry\nsites:\n  - id: shop.example\n    origins: [%q]\n    consent:\n%s",
		origin, consentYAML))
	col = startCollector(t, "-config", config, "-data", data)
	mux := http.NewServeMux()
	mux.HandleFunc("/p.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><meta charset="utf-8"><title>Consent</title>`+strings.ReplaceAll(head, "COLLECTOR_URL", col.URL)+`
<script>window.crumbless = window.crumbless || function () { (window.crumbless.q = window.crumbless.q || []).push(arguments) }</script>
<script defer src="`+col.URL+`/crumbless.js" data-site="shop.example" data-dev></script>
</head><body><p>consent</p></body></html>`)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return origin + "/p.html", col, data
}

// visit opens page and waits for the tracker. Requests to the collector
// (at colURL) get the extra headers (the CDN's country header, Sec-GPC), as
// a CDN in front of it would add them. They are added by intercepting the
// requests (CDP Fetch), not with Network.setExtraHTTPHeaders, which would
// make every cross-origin request need a CORS preflight.
func visit(t *testing.T, b *browser, colURL, page string, headers map[string]string) {
	t.Helper()
	chromedp.ListenTarget(b.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		var h []*fetch.HeaderEntry
		for k, v := range e.Request.Headers {
			h = append(h, &fetch.HeaderEntry{Name: k, Value: fmt.Sprint(v)})
		}
		for k, v := range headers {
			h = append(h, &fetch.HeaderEntry{Name: k, Value: v})
		}
		go chromedp.Run(b.ctx, fetch.ContinueRequest(e.RequestID).WithHeaders(h))
	})
	b.run(t, fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: colURL + "/*"}}), chromedp.Navigate(page))
	waitTracker(t, b)
}

// hidePage makes the loader flush at once, by sendBeacon.
func hidePage(t *testing.T, b *browser) {
	t.Helper()
	before := b.sent(network.ResourceTypePing)
	b.run(t, chromedp.Evaluate(`Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
		document.dispatchEvent(new Event('visibilitychange'))`, nil))
	b.waitSent(t, network.ResourceTypePing, before+1)
}

// deviceStorage returns what the page keeps on the device: cookies and
// localStorage, as "name=value" lines.
func deviceStorage(t *testing.T, b *browser) []string {
	t.Helper()
	var local []string
	b.run(t, chromedp.Evaluate(`Object.keys(localStorage).map(k => k + '=' + localStorage.getItem(k))`, &local))
	var cookies []*network.Cookie
	b.run(t, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = storage.GetCookies().Do(ctx)
		return err
	}))
	for _, c := range cookies {
		local = append(local, "cookie "+c.Name+"="+c.Value)
	}
	return local
}

// eventRows stops the collector and returns its pageview and custom rows.
func eventRows(t *testing.T, col *collector, data string) []row {
	t.Helper()
	time.Sleep(500 * time.Millisecond) // let the last beacon arrive
	col.stop()
	var rows []row
	for _, r := range readRows(t, data) {
		if r.str("type") == "pageview" || r.str("type") == "custom" {
			rows = append(rows, r)
		}
	}
	return rows
}

func rowNames(rows []row) string {
	var s []string
	for _, r := range rows {
		s = append(s, r.str("type")+":"+r.str("name")+":"+r.str("tier"))
	}
	return strings.Join(s, ",")
}

// (a) EU visitor, exempt basis, no CMP: T2 rows with the edge's daily
// visitor key, nothing stored on the device.
func TestConsentExemptEU(t *testing.T) {
	page, col, data := consentSite(t, "      basis: exempt\n", "")
	b := newBrowser(t)
	visit(t, b, col.URL, page, map[string]string{"CF-IPCountry": "FR"})
	b.run(t, chromedp.Evaluate(`crumbless('event', 'signup')`, nil))
	hidePage(t, b)
	if s := deviceStorage(t, b); len(s) != 0 {
		t.Errorf("device storage at T2: %q", s)
	}
	rows := eventRows(t, col, data)
	if len(rows) != 2 {
		t.Fatalf("rows %s, want a pageview and a custom event", rowNames(rows))
	}
	for _, r := range rows {
		if r.str("tier") != "T2" || r.str("visitor_id") == "" || r.str("uid") != "" {
			t.Errorf("row %v: want T2 with a visitor_id and no uid", r)
		}
	}
}

// (b) The same visitor with Sec-GPC: 1: an objection, T1 rows without a
// visitor key.
func TestConsentGPCObjects(t *testing.T) {
	page, col, data := consentSite(t, "      basis: exempt\n", "")
	b := newBrowser(t)
	visit(t, b, col.URL, page, map[string]string{"CF-IPCountry": "FR", "Sec-GPC": "1"})
	hidePage(t, b)
	rows := eventRows(t, col, data)
	if len(rows) != 1 {
		t.Fatalf("rows %s, want the pageview", rowNames(rows))
	}
	if r := rows[0]; r.str("tier") != "T1" || r.str("visitor_id") != "" {
		t.Errorf("row %v: want T1 without visitor_id", r)
	}
}

// (c) Consent basis, the site's own API as the authority: nothing is sent
// before a choice; a grant gives T3 from then on with an id kept on the
// device (the pageview before it stays unsent); a withdrawal removes the id
// at once and lowers the tier (to T0 here: nothing more is sent).
func TestConsentAPIGrantAndWithdraw(t *testing.T) {
	page, col, data := consentSite(t, "      basis: consent\n      authority: api\n      wait_for_consent: 200ms\n", "")
	b := newBrowser(t)
	visit(t, b, col.URL, page, map[string]string{"CF-IPCountry": "DE"})
	time.Sleep(2500 * time.Millisecond) // past the wait and a flush delay
	if n := b.sent(network.ResourceTypeFetch) + b.sent(network.ResourceTypePing); n != 0 {
		t.Fatalf("%d requests to /e before any choice", n)
	}
	if s := deviceStorage(t, b); len(s) != 0 {
		t.Fatalf("device storage before consent: %q", s)
	}
	b.run(t, chromedp.Evaluate(`crumbless('consent', {measurement: 'granted', analytics: 'granted'});
		crumbless('event', 'granted')`, nil))
	var stored string
	b.run(t, chromedp.Poll(`localStorage.getItem('crumbless_id')`, &stored, chromedp.WithPollingTimeout(5*time.Second)))
	hidePage(t, b)
	b.run(t, chromedp.Evaluate(`document.dispatchEvent(new Event('visibilitychange'));
		crumbless('consent', 'withdraw'); crumbless('event', 'withdrawn')`, nil))
	time.Sleep(300 * time.Millisecond)
	if s := deviceStorage(t, b); len(s) != 0 {
		t.Errorf("device storage after withdrawal: %q", s)
	}
	b.run(t, chromedp.Evaluate(`document.dispatchEvent(new Event('visibilitychange'))`, nil))

	rows := eventRows(t, col, data)
	if len(rows) != 1 || rows[0].str("name") != "granted" {
		t.Fatalf("rows %s, want only the event after the grant", rowNames(rows))
	}
	if r := rows[0]; r.str("tier") != "T3" || r.str("uid") != stored[:32] {
		t.Errorf("row %v: want T3 with uid %s", r, stored[:32])
	}
}

// (d) A TCF CMP (a stub exposing __tcfapi) answers with a real TC string
// whose Publisher TC segment consents to purposes 1 and 8: T3.
func TestConsentTCFDrivesTheTier(t *testing.T) {
	tc := tcString(t, 1<<0|1<<7)
	stub := `<script>window.__tcfapi = function (cmd, v, cb) {
  if (cmd === 'addEventListener') setTimeout(function () { cb({tcString: '` + tc + `', eventStatus: 'tcloaded',
    cmpStatus: 'loaded', listenerId: 1, gdprApplies: true, tcfPolicyVersion: 4,
    publisher: {consents: {1: true, 8: true}, legitimateInterests: {}}, purpose: {consents: {1: true, 8: true}}}, true) }, 50);
};</script>`
	page, col, data := consentSite(t, "      basis: consent\n      authority: tcf\n      wait_for_consent: 1s\n", stub)
	b := newBrowser(t)
	visit(t, b, col.URL, page, map[string]string{"CF-IPCountry": "FR"})
	var stored string
	b.run(t, chromedp.Poll(`localStorage.getItem('crumbless_id')`, &stored, chromedp.WithPollingTimeout(5*time.Second)))
	hidePage(t, b)
	rows := eventRows(t, col, data)
	if len(rows) != 1 || rows[0].str("tier") != "T3" || rows[0].str("uid") != stored[:32] {
		t.Fatalf("rows %v, want the pageview at T3 with uid %s", rows, stored[:32])
	}
}

// tcString builds a TCF v2.2 TC string (policy version 4, service
// specific, no vendors) whose Publisher TC segment consents to the purposes
// in pub (bit i is purpose i+1), and checks it with consent/tcf.
func tcString(t *testing.T, pub uint32) string {
	t.Helper()
	var w bitWriter
	day := time.Now().UTC().Truncate(24*time.Hour).UnixMilli() / 100
	w.put(2, 6)                       // Version
	w.put(uint64(day), 36)            // Created
	w.put(uint64(day), 36)            // LastUpdated
	w.put(1, 12)                      // CmpId
	w.put(1, 12)                      // CmpVersion
	w.put(0, 6)                       // ConsentScreen
	w.put(4, 6)                       // ConsentLanguage "E"
	w.put(13, 6)                      // "N"
	w.put(100, 12)                    // VendorListVersion
	w.put(4, 6)                       // TcfPolicyVersion
	w.put(1, 1)                       // IsServiceSpecific
	w.put(0, 1)                       // UseNonStandardTexts
	w.put(0, 12)                      // SpecialFeatureOptIns
	w.put(uint64(reverse24(pub)), 24) // PurposesConsent
	w.put(0, 24)                      // PurposesLITransparency
	w.put(0, 1)                       // PurposeOneTreatment
	w.put(5, 6)                       // PublisherCC "F"
	w.put(17, 6)                      // "R"
	w.put(0, 16)                      // vendor consents: MaxVendorId 0
	w.put(0, 1)                       //   bitfield
	w.put(0, 16)                      // vendor LI: MaxVendorId 0
	w.put(0, 1)                       //   bitfield
	w.put(0, 12)                      // NumPubRestrictions
	core := w.string()
	w = bitWriter{}
	w.put(3, 3)                       // SegmentType: Publisher TC
	w.put(uint64(reverse24(pub)), 24) // PubPurposesConsent
	w.put(0, 24)                      // PubPurposesLITransparency
	w.put(0, 6)                       // NumCustomPurposes
	s := core + "." + w.string()
	d, err := tcf.Decode(s)
	if err != nil {
		t.Fatalf("the test's TC string %s: %v", s, err)
	}
	if d.Publisher == nil || d.Publisher.PubPurposesConsent != pub || d.TcfPolicyVersion != 4 {
		t.Fatalf("the test's TC string decodes to %+v", d)
	}
	return s
}

// reverse24 turns "bit i is purpose i+1" into the string's order, where
// purpose 1 is the first (most significant) of 24 bits.
func reverse24(m uint32) uint32 {
	var r uint32
	for i := 0; i < 24; i++ {
		if m&(1<<i) != 0 {
			r |= 1 << (23 - i)
		}
	}
	return r
}

type bitWriter struct {
	buf []byte
	n   int
}

func (w *bitWriter) put(v uint64, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>i&1 != 0 {
			w.buf[w.n/8] |= 0x80 >> (w.n % 8)
		}
		w.n++
	}
}

func (w *bitWriter) string() string { return base64.RawURLEncoding.EncodeToString(w.buf) }
