package e2e

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser: CRUMBLESS_CHROMIUM (set by `make test`), else
// chromium on PATH. A missing browser fails the test; it never skips.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CRUMBLESS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: run `make test`, which installs it, or set CRUMBLESS_CHROMIUM")
	return ""
}

// browser is one headless Chromium with a fresh profile, and a record of the
// requests its pages sent to the collector's /e endpoint.
type browser struct {
	ctx context.Context

	mu    sync.Mutex
	sends []network.ResourceType // Ping for sendBeacon, Fetch for fetch()
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	)
	// The profile is not t.TempDir(): Chromium's helper processes may still
	// be writing to it for a moment after the browser has closed.
	profile, err := os.MkdirTemp("", "crumbless-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, chromedp.UserDataDir(profile))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		chromedp.Cancel(bctx) // closes the browser and waits for it
		bcancel()
		acancel()
		cancel()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	b := &browser{ctx: bctx}
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(e.Request.URL, "/e") {
			b.mu.Lock()
			b.sends = append(b.sends, e.Type)
			b.mu.Unlock()
		}
	})
	if err := chromedp.Run(bctx, network.Enable()); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return b
}

func (b *browser) run(t *testing.T, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// sent returns how many requests of type typ went to /e so far.
func (b *browser) sent(typ network.ResourceType) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, s := range b.sends {
		if s == typ {
			n++
		}
	}
	return n
}

// waitSent waits until at least n requests of type typ went to /e.
func (b *browser) waitSent(t *testing.T, typ network.ResourceType, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for b.sent(typ) < n {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15s for %d %s request(s) to /e; saw %v", n, typ, b.sends)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitTracker waits until the page's tracker module has been fetched and the
// loader has had time to instantiate it.
func waitTracker(t *testing.T, b *browser) {
	t.Helper()
	const loaded = `performance.getEntriesByType('resource').some(e => e.name.endsWith('.wasm') && e.responseEnd > 0)`
	b.run(t, chromedp.Poll(loaded, nil, chromedp.WithPollingTimeout(15*time.Second)))
	time.Sleep(300 * time.Millisecond)
}
