// Command loadgen posts gzip-compressed event batches to a collector on
// 127.0.0.1 for a bounded time and reports events/s and latency percentiles.
//
//	loadgen -url http://127.0.0.1:8080/e -origin http://localhost:3000 -site shop.example -duration 10s
//
// Bodies are generated before the clock starts (distinct event ids, realistic
// fields) so the generator spends its time sending, not compressing.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
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
	bodies            int
	rate              float64 // events/s over all connections; 0: as fast as possible
	duration, warmup  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080/e", "collector event endpoint (loopback only)")
	flag.StringVar(&o.origin, "origin", "http://localhost:3000", "Origin header to send")
	flag.StringVar(&o.site, "site", "shop.example", "site of the batches")
	flag.IntVar(&o.conns, "conns", 64, "concurrent connections")
	flag.IntVar(&o.events, "events", 20, "events per batch")
	flag.IntVar(&o.bodies, "bodies", 20000, "distinct bodies generated before the run")
	flag.Float64Var(&o.rate, "rate", 0, "events/s to offer in all (open loop); 0 sends as fast as responses allow")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time (at most 10m)")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured time before it")
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
	bodies, err := makeBodies(o)
	if err != nil {
		return err
	}
	client := &fasthttp.HostClient{Addr: u.Host, MaxConns: o.conns, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	var measuring atomic.Bool
	stop := make(chan struct{})
	results := make([]worker, o.conns)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func(w *worker, next int) {
			defer wg.Done()
			w.loop(client, o, bodies, next, &measuring, stop)
		}(&results[i], i*len(bodies)/o.conns)
	}
	time.Sleep(o.warmup)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(o.duration)
	measuring.Store(false)
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	report(results, o, elapsed)
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
	lastErr    string
	latencies  []time.Duration
}

func (w *worker) loop(c *fasthttp.HostClient, o options, bodies [][]byte, next int, measuring *atomic.Bool, stop chan struct{}) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	var pace pacer
	if o.rate > 0 {
		perConn := o.rate / float64(o.events) / float64(o.conns) // requests/s
		pace.every = time.Duration(float64(time.Second) / perConn)
		pace.next = time.Now().Add(time.Duration(next%1000) * pace.every / 1000) // spread the phases
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
		req.SetBodyRaw(bodies[next%len(bodies)])
		next++
		t0 := pace.wait()
		err := c.Do(req, resp)
		d := time.Since(t0)
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
	}
}

func makeBodies(o options) ([][]byte, error) {
	bodies := make([][]byte, o.bodies)
	now := time.Now().UnixMilli()
	var raw, gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	for i := range bodies {
		b := wire.Batch{Site: []byte(o.site), SentAt: now}
		for j := 0; j < o.events; j++ {
			id := strconv.AppendInt([]byte("lg"), int64(i*o.events+j), 36)
			b.Events = append(b.Events, wire.Event{ID: id, Kind: wire.KindPageview, TS: now - int64(o.events-j),
				Path: []byte("/blog/post-" + strconv.Itoa(j)), Referrer: []byte("https://news.example/"),
				Title: []byte("A post about privacy-first analytics"), Viewport: []byte("lg"),
				Lang: []byte("en-GB"), TZ: []byte("Europe/London")})
		}
		raw.Reset()
		raw.Write(wire.AppendBatch(nil, &b))
		gz.Reset()
		zw.Reset(&gz)
		if _, err := zw.Write(raw.Bytes()); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		bodies[i] = bytes.Clone(gz.Bytes())
	}
	return bodies, nil
}

func report(ws []worker, o options, elapsed time.Duration) {
	var all []time.Duration
	ok, failed, lastErr := 0, 0, ""
	for _, w := range ws {
		ok += w.ok
		failed += w.failed
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
	fmt.Printf("requests_ok=%d failed=%d req_per_s=%.0f events_per_s=%.0f p50_ms=%.3f p99_ms=%.3f conns=%d events_per_batch=%d offered_events_per_s=%.0f\n",
		ok, failed, float64(ok)/secs, float64(ok*o.events)/secs,
		float64(pct(0.50).Microseconds())/1000, float64(pct(0.99).Microseconds())/1000, o.conns, o.events, o.rate)
	if lastErr != "" {
		fmt.Fprintln(os.Stderr, "loadgen: last error:", lastErr)
	}
}
