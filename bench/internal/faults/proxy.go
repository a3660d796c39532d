package faults

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault modes of the proxy, per session.
const (
	modeNone    = ""
	mode503     = "503"     // answer 503 with Retry-After, as an overloaded collector
	modeDrop    = "drop"    // close the connection without an answer
	modeAckLoss = "ackloss" // forward to the collector, then close without its answer
)

// proxy stands in front of the collector. Pages send to
// PROXY/s/SESSION/e; the proxy records every attempt (its event ids), then
// applies the session's fault, or forwards to the collector's /e. Every
// other path (/c, the tag) is forwarded untouched.
type proxy struct {
	target string
	client *http.Client

	mu       sync.Mutex
	faults   map[string]fault
	attempts []attempt
}

type fault struct {
	mode  string
	until time.Time
}

// attempt is one request that reached the proxy for /e.
type attempt struct {
	sid      string
	beacon   bool // Sec-Fetch-Mode no-cors: navigator.sendBeacon
	gzipped  bool
	wire     int // bytes of the body as sent
	raw      int // bytes of the JSON
	outcome  string
	status   int
	reason   string // the collector's X-Crumbless-Reason
	at       time.Time
	events   []wireEvent
	parseErr string
}

// wireEvent is what the harness reads of an event in a batch.
type wireEvent struct {
	ID    string            `json:"id"`
	Type  string            `json:"type"`
	Path  string            `json:"path"`
	Name  string            `json:"name"`
	URL   string            `json:"url"`
	Props map[string]string `json:"props"`
}

func newProxy(target string) *proxy {
	return &proxy{
		target: target,
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		faults: map[string]fault{},
	}
}

func (p *proxy) set(sid, mode string, d time.Duration) {
	p.mu.Lock()
	p.faults[sid] = fault{mode, time.Now().Add(d)}
	p.mu.Unlock()
}

func (p *proxy) clear(sid string) {
	p.mu.Lock()
	delete(p.faults, sid)
	p.mu.Unlock()
}

func (p *proxy) faultOf(sid string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.faults[sid]
	if !ok || time.Now().After(f.until) {
		return modeNone
	}
	return f.mode
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/s/")
	sid, tail, _ := strings.Cut(rest, "/")
	if !ok || tail != "e" || r.Method != http.MethodPost {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		p.forward(w, r, r.URL.RequestURI(), body)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	a := attempt{at: time.Now(), sid: sid, beacon: r.Header.Get("Sec-Fetch-Mode") == "no-cors", wire: len(body)}
	raw := body
	if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
		a.gzipped = true
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			raw, _ = io.ReadAll(zr)
		}
	}
	a.raw = len(raw)
	var b struct {
		Events []wireEvent `json:"events"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		a.parseErr = err.Error()
	}
	a.events = b.Events
	a.outcome = p.faultOf(sid)
	switch a.outcome {
	case mode503:
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		a.status = 503
	case modeDrop:
		hangUp(w)
	case modeAckLoss:
		a.status, a.reason = p.send(r, "/e", body)
		hangUp(w)
	default:
		a.status, a.reason = p.forward(w, r, "/e", body)
	}
	p.mu.Lock()
	p.attempts = append(p.attempts, a)
	p.mu.Unlock()
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

var hopHeaders = map[string]bool{"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Te": true,
	"Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Host": true, "Content-Length": true}

func (p *proxy) request(r *http.Request, uri string, body []byte) (*http.Response, error) {
	req, err := http.NewRequest(r.Method, p.target+uri, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		if !hopHeaders[k] {
			req.Header[k] = v
		}
	}
	return p.client.Do(req)
}

// send forwards and discards the answer: its status, or 0, and reason.
func (p *proxy) send(r *http.Request, uri string, body []byte) (int, string) {
	resp, err := p.request(r, uri, body)
	if err != nil {
		return 0, err.Error()
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("X-Crumbless-Reason")
}

// forward relays the request and the collector's answer.
func (p *proxy) forward(w http.ResponseWriter, r *http.Request, uri string, body []byte) (int, string) {
	resp, err := p.request(r, uri, body)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return http.StatusBadGateway, err.Error()
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		if !hopHeaders[k] {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Crumbless-Reason")
}

func (p *proxy) snapshot() []attempt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]attempt(nil), p.attempts...)
}
