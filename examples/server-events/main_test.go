package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/collector"
	"github.com/crumbless/crumbless/sdk/client"
)

const (
	secret    = "example-secret-0123456789abcdef0123456789"
	visitorUA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
)

// TestCheckoutLandsOnce runs a real collector behind a proxy that
// loses the collector's first answer (it passes the batch on, then
// answers 503), and the shop in front of the client: the purchase is
// retried, and the files hold it once.
func TestCheckoutLandsOnce(t *testing.T) {
	dataDir := t.TempDir()
	stop := startCollector(t, dataDir)

	var requests atomic.Int32
	collectorURL := stop.url
	proxy := httptest.NewServer(lossyProxy(t, collectorURL, &requests))
	defer proxy.Close()

	events, err := client.New(proxy.URL+"/e", "example.com", secret, client.WithBackoff(10*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	shopSrv := httptest.NewServer(newShop(events))
	defer shopSrv.Close()

	req, _ := http.NewRequest("POST", shopSrv.URL+"/checkout", strings.NewReader(url.Values{"plan": {"pro"}, "amount": {"49.00"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", visitorUA)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Thank you") {
		t.Fatalf("checkout: %s %s", resp.Status, body)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("the collector got %d requests, want 2 (the lost one and the retry)", n)
	}
	if metrics := get(t, stop.url+"/metrics"); !strings.Contains(metrics, "crumbless_events_duplicate_total 1\n") {
		t.Errorf("the retry was not dropped as a duplicate:\n%s", metrics)
	}
	stop.shutdown(t)

	rows := readRows(t, dataDir)
	if len(rows) != 1 {
		t.Fatalf("%d rows, want the purchase once: %v", len(rows), rows)
	}
	r := rows[0]
	props, _ := r["props"].(map[string]any)
	if r["type"] != "custom" || r["name"] != "purchase" || props["plan"] != "pro" || props["amount"] != "49.00" ||
		r["site"] != "example.com" || r["path"] != "/checkout" || r["browser"] != "Firefox" || r["server"] != true {
		t.Errorf("row %v", r)
	}
	if id, _ := r["visitor_id"].(string); len(id) != 16 {
		t.Errorf("visitor_id %q: want one, from the forwarded address and browser", r["visitor_id"])
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lossyProxy forwards to the collector; the first answer is replaced by
// a 503, as from a proxy that timed out waiting for it.
func lossyProxy(t *testing.T, target string, requests *atomic.Int32) http.Handler {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 {
			rp.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		rp.ServeHTTP(rec, r)
		if rec.Code != http.StatusAccepted {
			t.Errorf("the collector answered the first attempt %d %s", rec.Code, rec.Header().Get("X-Crumbless-Reason"))
		}
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
}

// running is a collector serving on 127.0.0.1.
type running struct {
	srv  *collector.Server
	url  string
	done chan error
}

func startCollector(t *testing.T, dataDir string) *running {
	t.Helper()
	cfg := collector.Config{
		DataDir: dataDir,
		Sites:   []collector.SiteConfig{{ID: "example.com", Origins: []string{"https://example.com"}, Secret: secret}},
		Files:   collector.FilesConfig{RollInterval: time.Hour},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	s, err := collector.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &running{srv: s, url: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	go func() { r.done <- s.Serve(ln) }()
	t.Cleanup(func() { r.shutdown(t) })
	return r
}

// shutdown stops the collector, completing its files; again is a no-op.
func (r *running) shutdown(t *testing.T) {
	if r.done == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.Shutdown(ctx); err != nil {
		t.Errorf("shutting the collector down: %v", err)
	}
	if err := <-r.done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	r.done = nil
}

// readRows reads every row of every events file under dir, checking that
// neither the visitor's address nor the User-Agent is in them.
func readRows(t *testing.T, dir string) []map[string]any {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var rows []map[string]any
	err = filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ndjson.zst") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		plain, err := dec.DecodeAll(raw, nil)
		if err != nil {
			return err
		}
		for _, leak := range []string{"127.0.0.1", visitorUA, "X11; Linux", secret} {
			if bytes.Contains(plain, []byte(leak)) {
				t.Errorf("%s contains %q", path, leak)
			}
		}
		sc := bufio.NewScanner(bytes.NewReader(plain))
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				return err
			}
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
