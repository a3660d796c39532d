package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// dialog is what a screen reader and a keyboard user meet in the banner.
type dialog struct {
	Title   string   `json:"title"`
	Text    string   `json:"text"`
	Focused bool     `json:"focused"`
	Buttons []string `json:"buttons"`
	Asked   []string `json:"asked"`
	// SameWeight: Accept all and Reject all look alike (font, padding,
	// colours, border, size).
	SameWeight bool `json:"same"`
}

const readDialog = `(() => {
	const d = document.querySelector('[role=dialog]');
	if (!d) return null;
	const look = e => { const s = getComputedStyle(e);
		return [s.fontSize, s.fontWeight, s.padding, s.backgroundColor, s.color, s.border, e.offsetWidth, e.offsetHeight].join('|') };
	return {
		title: document.getElementById(d.getAttribute('aria-labelledby')).textContent,
		text: document.getElementById(d.getAttribute('aria-describedby')).textContent,
		focused: document.activeElement === d,
		buttons: [...d.querySelectorAll('button')].map(b => b.textContent),
		asked: [...d.querySelectorAll('input[type=checkbox]')].map(i => i.name),
		same: look(d.querySelector('button[name=accept]')) === look(d.querySelector('button[name=reject]')),
	};
})()`

// TestBannerAsksAndRemembers: a consent-basis site with the built-in banner
// as its authority. The banner is an accessible dialog with Accept and
// Reject of equal weight; nothing is sent before a choice; a keyboard
// refusal stores only the choice; reopening and accepting gives T3 with an
// id; on the next page the stored choice is replayed without asking.
func TestBannerAsksAndRemembers(t *testing.T) {
	page, col, data := consentSite(t, "      basis: consent\n      authority: banner\n      wait_for_consent: 1s\n      caps: [marketing]\n",
		`<script defer src="COLLECTOR_URL/banner.js" data-site="shop.example" data-lang="en"></script>`)
	b := newBrowser(t)
	visit(t, b, col.URL, page, map[string]string{"CF-IPCountry": "FR"})

	var d dialog
	b.run(t, chromedp.Poll(readDialog, &d, chromedp.WithPollingTimeout(10*time.Second)))
	if d.Title != "Your privacy" || d.Text == "" || !d.Focused || !d.SameWeight {
		t.Errorf("dialog %+v: want a named, described, focused dialog with Accept and Reject of equal weight", d)
	}
	if got := strings.Join(d.Buttons, ","); got != "Accept all,Reject all,Choose" {
		t.Errorf("buttons %q", got)
	}
	// Measurement is asked on the consent basis; marketing is capped off.
	if got := strings.Join(d.Asked, ","); got != "measurement,analytics,interaction" {
		t.Errorf("asked for %q", got)
	}

	// Keyboard only: Tab to Accept, Tab to Reject, Enter.
	var focused string
	b.run(t, chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.name`, &focused))
	if focused != "accept" {
		t.Errorf("first Tab focuses %q, want accept", focused)
	}
	b.run(t, chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.name`, &focused))
	if focused != "reject" {
		t.Errorf("second Tab focuses %q, want reject", focused)
	}
	b.run(t, chromedp.KeyEvent(kb.Enter))
	b.run(t, chromedp.Poll(`document.querySelector('[role=dialog]') === null`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	if s := deviceStorage(t, b); len(s) != 1 || !strings.HasPrefix(s[0], "crumbless_consent=") {
		t.Errorf("after a refusal the device holds %q, want only the choice", s)
	}
	time.Sleep(2500 * time.Millisecond) // past the wait and a flush delay
	if n := b.sent("Fetch") + b.sent("Ping"); n != 0 {
		t.Fatalf("%d requests to /e after a refusal", n)
	}

	// Reopen (withdrawing must be as easy as giving) and accept.
	b.run(t, chromedp.Evaluate(`crumblessConsent.open()`, nil),
		chromedp.Click(`button[name=accept]`, chromedp.ByQuery))
	b.run(t, chromedp.Poll(`localStorage.getItem('crumbless_id')`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`crumbless('event', 'accepted')`, nil))
	hidePage(t, b)

	// The next page: no dialog, the stored choice replayed, T3 from the start.
	b.run(t, chromedp.Navigate(page))
	waitTracker(t, b)
	time.Sleep(500 * time.Millisecond)
	var open bool
	b.run(t, chromedp.Evaluate(`document.querySelector('[role=dialog]') !== null`, &open))
	if open {
		t.Error("the banner asked again although the choice is stored")
	}
	hidePage(t, b)

	rows := eventRows(t, col, data)
	if len(rows) != 2 || rows[0].str("name") != "accepted" || rows[1].str("type") != "pageview" {
		t.Fatalf("rows %s, want the event after accepting and the next page's pageview", rowNames(rows))
	}
	for _, r := range rows {
		if r.str("tier") != "T3" || r.str("uid") == "" || r.str("uid") != rows[0].str("uid") {
			t.Errorf("row %v: want T3 with the same uid", r)
		}
	}
}
