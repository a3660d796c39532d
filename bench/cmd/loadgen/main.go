// Command loadgen posts event batches to a collector on 127.0.0.1 for a
// bounded time and reports events/s and latency percentiles.
//
//	loadgen -url http://127.0.0.1:8080/e -origin http://localhost:3000 -site shop.example -duration 10s
//
// The collector drops events whose ids it has written in the last 10
// minutes (collector/dedupe), so every request must carry new event ids,
// or the run measures dropped duplicates, not ingestion. Each connection
// builds one batch before the clock starts, as plain JSON (no gzip), and
// before each request writes its next sequence number into the fixed-width
// digits of every event id in place: no allocation, no encoding and no
// compression in the hot loop. Compressing each body again would cost the
// generator more CPU than the no-op baseline's requests (see
// bench/RESULTS.md), so without -gzip (below) the collector's gunzip is
// not in the figures.
// Event ids are RUN-CONN-SEQ-EVENT, RUN random per process, so runs
// against the same collector do not collide either.
//
// With -gzip the bodies are gzip (compress/gzip at the default level, as
// sdk/client and browsers' CompressionStream send them), for comparing the
// collector with a server that gunzips (bench/cmd/floorserver). Before the
// clock starts, -pool distinct bodies (fresh ids each, split over the
// connections) are built and compressed into memory; the hot loop only
// picks the next one. A connection that has sent all of its bodies
// compresses each further one in the loop (counted in live_gzip: generator
// CPU in the measurement) or, with -reuse, sends its bodies again (counted
// in reused: only for servers that do not drop repeated event ids).
//
// It prints acked_events, every event of a 2xx answer over the whole run
// (warm-up included), for comparing with the rows the collector wrote.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crumbless/crumbless/sdk/wire"
	"github.com/valyala/fasthttp"
)

type options struct {
	url, origin, site string
	conns, events     int
	rate              float64 // events/s over all connections; 0: as fast as possible
	duration, warmup  time.Duration
	gzip, reuse       bool
	pool              int // distinct gzip bodies built before the clock, over all connections
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080/e", "collector event endpoint (loopback only)")
	flag.StringVar(&o.origin, "origin", "http://localhost:3000", "Origin header to send")
	flag.StringVar(&o.site, "site", "shop.example", "site of the batches")
	flag.IntVar(&o.conns, "conns", 64, "concurrent connections")
	flag.IntVar(&o.events, "events", 20, "events per batch")
	flag.Float64Var(&o.rate, "rate", 0, "events/s to offer in all (open loop); 0 sends as fast as responses allow")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time (at most 10m)")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured time before it")
	flag.BoolVar(&o.gzip, "gzip", false, "send gzip bodies (built before the clock, see -pool)")
	flag.IntVar(&o.pool, "pool", 100000, "with -gzip: distinct gzip bodies built before the clock starts, over all connections")
	flag.BoolVar(&o.reuse, "reuse", false, "with -gzip: once a connection's bodies are all sent, send them again instead of compressing new ones (only for servers that keep repeated event ids)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	u, err := url.Parse(o.url)
	if err != nil {
		return fmt.Errorf("parsing -url: %w", err)
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return errors.New("-url must point at this machine (127.0.0.1, localhost or ::1)")
	}
	if o.duration <= 0 || o.duration > 10*time.Minute {
		return errors.New("-duration must be between 0 and 10m")
	}
	if o.conns < 1 || o.conns > 0xffff || o.events < 1 || o.events > wire.MaxEvents {
		return fmt.Errorf("-conns must be 1 to 65535 and -events 1 to %d", wire.MaxEvents)
	}
	if o.pool < 0 {
		return errors.New("-pool must not be negative")
	}
	run := rand.Uint32()
	now := time.Now().UnixMilli()
	client := &fasthttp.HostClient{Addr: u.Host, MaxConns: o.conns, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var measuring atomic.Bool
	stop := make(chan struct{})
	results := make([]worker, o.conns)
	templates := make([]*template, o.conns)
	prep := time.Now()
	for i := range templates {
		templates[i] = newTemplate(o.site, o.events, run, uint16(i), now)
		if o.gzip {
			templates[i].compress(o.pool/o.conns + boolInt(i < o.pool%o.conns))
		}
	}
	if o.gzip {
		fmt.Fprintf(os.Stderr, "loadgen: %d gzip bodies built in %s\n", o.pool, time.Since(prep).Round(time.Millisecond))
	}
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		t := templates[i]
		go func(w *worker, phase int) {
			defer wg.Done()
			w.loop(client, o, t, phase, &measuring, stop)
		}(&results[i], i*1000/o.conns)
	}
	time.Sleep(o.warmup)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(o.duration)
	measuring.Store(false)
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	report(results, templates, o, elapsed)
	return nil
}

// pacer spaces one worker's requests for an open-loop rate. Latency is
// measured from when a request was due, not when it went out, so a server
// that falls behind is charged for the wait (no coordinated omission).
type pacer struct {
	every time.Duration // 0: no pacing
	next  time.Time
}

// wait sleeps until the next request is due and returns when it was due.
func (p *pacer) wait() time.Time {
	if p.every == 0 {
		return time.Now()
	}
	if p.next.IsZero() {
		p.next = time.Now()
	}
	due := p.next
	p.next = p.next.Add(p.every)
	if d := time.Until(due); d > 0 {
		time.Sleep(d)
	}
	return due
}

// worker keeps its own counters so that the hot loop shares nothing.
type worker struct {
	ok, failed int
	liveGzip   int // measured requests whose body was compressed in the loop
	reused     int // measured requests that sent a body again
	acked      int // events in 2xx answers, measured or not
	lastErr    string
	latencies  []time.Duration
}

func (w *worker) loop(c *fasthttp.HostClient, o options, t *template, phase int, measuring *atomic.Bool, stop chan struct{}) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	var pace pacer
	if o.rate > 0 {
		perConn := o.rate / float64(o.events) / float64(o.conns) // requests/s
		pace.every = time.Duration(float64(time.Second) / perConn)
		pace.next = time.Now().Add(time.Duration(phase) * pace.every / 1000) // spread the phases
	}
	for {
		select {
		case <-stop:
			return
		default:
		}
		req.Reset()
		req.SetRequestURI(o.url)
		req.Header.SetMethod(fasthttp.MethodPost)
		req.Header.SetContentType("text/plain")
		req.Header.Set("Origin", o.origin)
		req.Header.SetUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36")
		var body []byte
		var live, reused bool
		if o.gzip {
			body, live, reused = t.nextGzip(o.reuse)
		} else {
			body = t.next()
		}
		req.SetBodyRaw(body) // Do returns before the body is written again
		t0 := pace.wait()
		err := c.Do(req, resp)
		d := time.Since(t0)
		if err == nil && resp.StatusCode() < 300 {
			w.acked += o.events
		}
		if !measuring.Load() {
			continue
		}
		switch {
		case err != nil:
			w.failed++
			w.lastErr = err.Error()
		case resp.StatusCode() >= 300:
			w.failed++
			w.lastErr = strconv.Itoa(resp.StatusCode()) + " " + string(resp.Body())
		default:
			w.ok++
			w.latencies = append(w.latencies, d)
		}
		w.liveGzip += boolInt(live)
		w.reused += boolInt(reused)
	}
}

// seqDigits is the width of an event id's sequence number, in hex: 2^48
// requests per connection.
const seqDigits = 12

// template is one connection's batch, as JSON, with the offset of each
// event id's sequence digits.
type template struct {
	body []byte
	seq  []int // where each event id's seqDigits sequence digits start in body
	n    uint64

	// With -gzip: the pre-built bodies, one after another in gz, ending at
	// ends[i]; sent counts the bodies taken.
	gz    []byte
	ends  []int
	sent  int
	zbuf  bytes.Buffer
	zw    *gzip.Writer
	bytes int // gzip bytes of the bodies built
}

// newTemplate builds a batch of events pageviews for site; event j's id is
// RUN-CONN-SEQ-j (hex), SEQ written by next.
func newTemplate(site string, events int, run uint32, conn uint16, now int64) *template {
	b := wire.Batch{Version: wire.Version, Site: []byte(site), SentAt: now}
	prefix := fmt.Sprintf("%08x-%04x-", run, conn)
	zeros := bytes.Repeat([]byte("0"), seqDigits)
	for j := range events {
		id := fmt.Appendf(nil, "%s%s-%02x", prefix, zeros, j)
		b.Events = append(b.Events, wire.Event{ID: id, Kind: wire.KindPageview, TS: now - int64(events-j),
			Path: []byte("/blog/post-" + strconv.Itoa(j)), Referrer: []byte("https://news.example/"),
			Title: []byte("A post about privacy-first analytics"), Viewport: []byte("lg"),
			Lang: []byte("en-GB"), TZ: []byte("Europe/London")})
	}
	t := &template{body: wire.AppendBatch(nil, &b)}
	for _, e := range b.Events {
		// Ids are hex and dashes: the JSON has them as they are.
		t.seq = append(t.seq, bytes.Index(t.body, e.ID)+len(prefix))
	}
	return t
}

// next writes the next sequence number into every event id and returns the
// body; it stays valid until the following call.
func (t *template) next() []byte {
	t.n++
	const hex = "0123456789abcdef"
	var digits [seqDigits]byte
	for i, n := seqDigits-1, t.n; i >= 0; i, n = i-1, n>>4 {
		digits[i] = hex[n&15]
	}
	for _, at := range t.seq {
		copy(t.body[at:at+seqDigits], digits[:])
	}
	return t.body
}

// compress builds n gzip bodies, each with the next sequence number.
func (t *template) compress(n int) {
	t.zw = gzip.NewWriter(&t.zbuf)
	for range n {
		t.gz = append(t.gz, t.gzipNext()...)
		t.ends = append(t.ends, len(t.gz))
	}
	t.bytes = len(t.gz)
}

// gzipNext compresses the next body into zbuf and returns it.
func (t *template) gzipNext() []byte {
	t.zbuf.Reset()
	t.zw.Reset(&t.zbuf)
	t.zw.Write(t.next())
	t.zw.Close()
	return t.zbuf.Bytes()
}

// nextGzip returns the next pre-built gzip body; once they are all sent, a
// new one compressed now (live), or with reuse the pre-built ones again.
func (t *template) nextGzip(reuse bool) (body []byte, live, reused bool) {
	i := t.sent
	t.sent++
	if i >= len(t.ends) {
		if !reuse || len(t.ends) == 0 {
			return t.gzipNext(), true, false
		}
		i %= len(t.ends)
		reused = true
	}
	start := 0
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.gz[start:t.ends[i]], false, reused
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func report(ws []worker, ts []*template, o options, elapsed time.Duration) {
	var all []time.Duration
	ok, failed, acked, lastErr, live, reused := 0, 0, 0, "", 0, 0
	for _, w := range ws {
		live += w.liveGzip
		reused += w.reused
		ok += w.ok
		failed += w.failed
		acked += w.acked
		all = append(all, w.latencies...)
		if w.lastErr != "" {
			lastErr = w.lastErr
		}
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[int(p*float64(len(all)-1))]
	}
	secs := elapsed.Seconds()
	fmt.Printf("requests_ok=%d failed=%d req_per_s=%.0f events_per_s=%.0f p50_ms=%.3f p99_ms=%.3f conns=%d events_per_batch=%d offered_events_per_s=%.0f acked_events=%d",
		ok, failed, float64(ok)/secs, float64(ok*o.events)/secs,
		float64(pct(0.50).Microseconds())/1000, float64(pct(0.99).Microseconds())/1000, o.conns, o.events, o.rate, acked)
	if o.gzip {
		bodies, bytes := 0, 0
		for _, t := range ts {
			bodies += len(t.ends)
			bytes += t.bytes
		}
		fmt.Printf(" gzip_bodies=%d gzip_mean_bytes=%d live_gzip=%d reused=%d", bodies, bytes/max(bodies, 1), live, reused)
	}
	fmt.Println()
	if lastErr != "" {
		fmt.Fprintln(os.Stderr, "loadgen: last error:", lastErr)
	}
}
