package client

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
)

const secret = "0123456789abcdef0123456789abcdef"

// attempt is what a test server saw of one request.
type attempt struct {
	header http.Header
	ids    []string
	sentAt int64
	batch  wire.Batch
}

// recorder answers with statuses in turn (the last one repeated) and keeps
// what it was sent.
type recorder struct {
	mu       sync.Mutex
	attempts []attempt
	answers  []func(http.ResponseWriter)
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	zr, err := gzip.NewReader(req.Body)
	if err != nil {
		http.Error(w, "not gzip", 400)
		return
	}
	raw, _ := io.ReadAll(zr)
	var p wire.Parser
	b, err := p.Parse(raw)
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	a := attempt{header: req.Header.Clone(), sentAt: b.SentAt, batch: *b}
	for _, e := range b.Events {
		a.ids = append(a.ids, string(e.ID))
	}
	r.mu.Lock()
	n := len(r.attempts)
	r.attempts = append(r.attempts, a)
	r.mu.Unlock()
	r.answers[min(n, len(r.answers)-1)](w)
}

func answer(status int, header ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
	}
}

func newClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	var tick atomic.Int64
	clock := func() time.Time { return time.UnixMilli(1_800_000_000_000 + tick.Add(1000)) }
	c, err := New(url, "example.com", secret, append([]Option{WithBackoff(time.Millisecond, 50*time.Millisecond), WithClock(clock)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendRetriesWithTheSameIDs(t *testing.T) {
	rec := &recorder{answers: []func(http.ResponseWriter){
		answer(503, "Retry-After", "0", "X-Crumbless-Reason", "write_failed"), answer(429), answer(202)}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := newClient(t, srv.URL+"/e")
	err := c.Send(context.Background(), Visitor{IP: "203.0.113.7:51234", UserAgent: "Firefox/133", UID: "u-1", Tier: "T3"},
		Event{Name: "purchase", Props: map[string]string{"plan": "pro", "amount": "49.00"}, Path: "/checkout"},
		Event{Name: "signup", ID: "my-own-id"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.attempts) != 3 {
		t.Fatalf("%d attempts, want 3", len(rec.attempts))
	}
	first := rec.attempts[0]
	if len(first.ids) != 2 || first.ids[1] != "my-own-id" || !strings.HasPrefix(first.ids[0], c.prefix+"-") {
		t.Errorf("ids %v", first.ids)
	}
	for i, a := range rec.attempts {
		if fmt.Sprint(a.ids) != fmt.Sprint(first.ids) {
			t.Errorf("attempt %d ids %v, want %v", i, a.ids, first.ids)
		}
		if i > 0 && a.sentAt <= rec.attempts[i-1].sentAt {
			t.Errorf("attempt %d sent_at %d, not after the previous %d", i, a.sentAt, rec.attempts[i-1].sentAt)
		}
	}
	h := first.header
	if h.Get("Authorization") != "Bearer "+secret || h.Get("X-Crumbless-Visitor-IP") != "203.0.113.7" ||
		h.Get("X-Crumbless-Visitor-UA") != "Firefox/133" || h.Get("Origin") != "" {
		t.Errorf("headers %v", h)
	}
	e := first.batch.Events[0]
	if e.Kind != wire.KindCustom || string(e.Name) != "purchase" || string(e.Path) != "/checkout" || len(e.Props) != 2 ||
		string(e.Props[0].Key) != "amount" || string(first.batch.UID) != "u-1" || string(first.batch.Tier) != "T3" {
		t.Errorf("first event %+v of batch %+v", e, first.batch)
	}
}

func TestRefusalIsFinal(t *testing.T) {
	rec := &recorder{answers: []func(http.ResponseWriter){answer(401, "X-Crumbless-Reason", "bad_secret")}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	err := newClient(t, srv.URL).Send(context.Background(), Visitor{}, Event{Name: "x"})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 401 || se.Reason != "bad_secret" || len(rec.attempts) != 1 {
		t.Errorf("err %v after %d attempts; want a final 401 bad_secret", err, len(rec.attempts))
	}
}

func TestAttemptsAreBounded(t *testing.T) {
	rec := &recorder{answers: []func(http.ResponseWriter){answer(500)}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	err := newClient(t, srv.URL, WithAttempts(3)).Send(context.Background(), Visitor{}, Event{Name: "x"})
	if err == nil || len(rec.attempts) != 3 {
		t.Errorf("err %v after %d attempts, want an error after 3", err, len(rec.attempts))
	}
}

func TestRetryAfterLongerThanMaxGivesUp(t *testing.T) {
	rec := &recorder{answers: []func(http.ResponseWriter){answer(503, "Retry-After", "120")}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	start := time.Now()
	err := newClient(t, srv.URL).Send(context.Background(), Visitor{}, Event{Name: "x"})
	if err == nil || !strings.Contains(err.Error(), "asks to wait 2m0s") || len(rec.attempts) != 1 || time.Since(start) > 5*time.Second {
		t.Errorf("err %v after %d attempts", err, len(rec.attempts))
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	var n atomic.Int32
	rec := &recorder{answers: []func(http.ResponseWriter){answer(202)}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 { // the first attempt: the connection drops
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		rec.ServeHTTP(w, r)
	}))
	defer srv.Close()
	if err := newClient(t, srv.URL).Send(context.Background(), Visitor{}, Event{Name: "x"}); err != nil || len(rec.attempts) != 1 || n.Load() != 2 {
		t.Errorf("err %v, %d requests, %d answered", err, n.Load(), len(rec.attempts))
	}
}

func TestContextEndsRetries(t *testing.T) {
	rec := &recorder{answers: []func(http.ResponseWriter){answer(503)}}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := newClient(t, srv.URL, WithBackoff(time.Second, 10*time.Second)).Send(ctx, Visitor{}, Event{Name: "x"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

func TestEventIDsAreUnique(t *testing.T) {
	a, b := newClient(t, "http://127.0.0.1/e"), newClient(t, "http://127.0.0.1/e")
	seen := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range []*Client{a, b} {
		for range 4 {
			wg.Go(func() {
				for range 1000 {
					id := c.NewEventID()
					mu.Lock()
					if seen[id] || len(id) > wire.MaxIDLen {
						t.Errorf("id %q repeated or too long", id)
					}
					seen[id] = true
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
}

func TestRefusedBeforeSending(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1/e")
	props := map[string]string{}
	for i := range 31 {
		props[fmt.Sprint(i)] = "v"
	}
	for _, evs := range [][]Event{nil, {{Name: ""}}, {{Name: strings.Repeat("n", 65)}}, {{Name: "x", Props: props}},
		{{Name: "x", ID: strings.Repeat("i", 65)}}, make([]Event, 101)} {
		if err := c.Send(context.Background(), Visitor{}, evs...); err == nil || strings.Contains(err.Error(), "attempt") {
			t.Errorf("%d events: %v, want a refusal before sending", len(evs), err)
		}
	}
	for _, args := range [][3]string{{"stats.example.com/e", "s", "x"}, {"ftp://x/e", "s", "x"}, {"http://x/e", "", "x"}, {"http://x/e", "s", ""}} {
		if _, err := New(args[0], args[1], args[2]); err == nil {
			t.Errorf("New%q accepted", args)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "5": 5 * time.Second, "-1": 0, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	c := newClient(t, "http://127.0.0.1/e", WithBackoff(100*time.Millisecond, time.Second))
	for n := 1; n <= 40; n++ {
		bound := min(100*time.Millisecond<<min(n-1, 30), time.Second)
		distinct := map[time.Duration]bool{}
		for range 20 {
			d := c.backoff(n)
			if d <= 0 || d > bound {
				t.Fatalf("backoff(%d) = %v, want in (0, %v]", n, d, bound)
			}
			distinct[d] = true
		}
		if len(distinct) < 10 {
			t.Errorf("backoff(%d): only %d distinct delays in 20", n, len(distinct))
		}
	}
}
