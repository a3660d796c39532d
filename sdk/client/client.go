// Package client sends events to a Crumbless collector from a site's
// servers: what only a backend knows, like a purchase the payment provider
// confirmed, or a signup the database committed.
//
//	c, err := client.New("https://stats.example.com/e", "example.com", os.Getenv("CRUMBLESS_SECRET"))
//	...
//	err = c.Send(ctx, client.Visitor{IP: r.RemoteAddr, UserAgent: r.UserAgent()},
//		client.Event{Name: "purchase", Props: map[string]string{"plan": "pro"}})
//
// The collector must give the site a secret (sites[].secret); the client
// sends it as a bearer token. Batches are encoded with sdk/wire and
// gzip-compressed. Each event gets a unique id once, and keeps it through
// every retry, so the collector writes it once however often it is sent.
// Network errors, 5xx and 429 answers are retried with jittered
// exponential backoff, honouring Retry-After, a bounded number of times;
// other answers are final.
//
// The visitor's IP address and User-Agent, when given, are forwarded for
// the visitor id, the region and the browser classes; the collector stores
// neither.
package client

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Defaults for the options.
const (
	DefaultAttempts = 5
	DefaultMinDelay = 500 * time.Millisecond
	DefaultMaxDelay = 30 * time.Second
	DefaultTimeout  = 10 * time.Second
)

// Client sends events for one site. It is safe for concurrent use.
type Client struct {
	endpoint string
	site     string
	secret   string
	http     *http.Client
	attempts int
	minDelay time.Duration
	maxDelay time.Duration
	now      func() time.Time
	prefix   string // random, per Client: the first part of every event id
	next     atomic.Uint64
}

// Option changes a Client's defaults.
type Option func(*Client)

// WithHTTPClient sends through hc; the default is a client with a 10s
// timeout per attempt.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithAttempts bounds the attempts per Send, the first one included;
// default 5.
func WithAttempts(n int) Option { return func(c *Client) { c.attempts = n } }

// WithBackoff sets the first retry's delay and the longest one; the delay
// doubles from min to max, each one drawn at random below its bound. A
// Retry-After longer than max ends the retries. Defaults 500ms and 30s.
func WithBackoff(min, max time.Duration) Option {
	return func(c *Client) { c.minDelay, c.maxDelay = min, max }
}

// WithClock sets the clock events are timed by; for tests.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a Client that posts to endpoint, the collector's event URL
// (https://stats.example.com/e), for site, authenticated by secret.
func New(endpoint, site, secret string, opts ...Option) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("creating a Crumbless client: %q is not an http(s) URL", endpoint)
	}
	if site == "" || secret == "" {
		return nil, errors.New("creating a Crumbless client: the site and its secret are required")
	}
	var p [8]byte
	if _, err := rand.Read(p[:]); err != nil {
		return nil, fmt.Errorf("creating a Crumbless client: reading random bytes: %w", err)
	}
	c := &Client{endpoint: endpoint, site: site, secret: secret, prefix: hex.EncodeToString(p[:]),
		http: &http.Client{Timeout: DefaultTimeout}, attempts: DefaultAttempts,
		minDelay: DefaultMinDelay, maxDelay: DefaultMaxDelay, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	if c.attempts < 1 || c.minDelay <= 0 || c.maxDelay < c.minDelay || c.http == nil || c.now == nil {
		return nil, errors.New("creating a Crumbless client: attempts must be at least 1, and 0 < min delay <= max delay")
	}
	return c, nil
}

// NewEventID returns an event id no other event of this Client has: its
// random prefix and a counter. Set it on an Event and keep it to resend
// the event later, from another Send, and still have it written once.
func (c *Client) NewEventID() string {
	return fmt.Sprintf("%s-%x", c.prefix, c.next.Add(1))
}
