package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Headers a server send carries besides Authorization (the collector's
// ingest.HeaderVisitorIP and HeaderVisitorUA).
const (
	headerVisitorIP = "X-Crumbless-Visitor-IP"
	headerVisitorUA = "X-Crumbless-Visitor-UA"
)

// StatusError is a collector's final answer to a batch: a refusal (4xx but
// 429), or the last of the retried ones.
type StatusError struct {
	Status int
	// Reason is the collector's X-Crumbless-Reason, like bad_secret.
	Reason string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("collector answered %d %s", e.Status, e.Reason)
}

// Send sends events about v as one batch, retrying as the package doc
// says, and returns nil once the collector has accepted them (some may have
// been written before: the collector drops those). It gives up when ctx
// ends, when the attempts are spent, or on a refusal (*StatusError).
func (c *Client) Send(ctx context.Context, v Visitor, events ...Event) error {
	b, err := c.batch(v, events)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		body, err := c.encode(b)
		if err != nil {
			return err
		}
		wait, err := c.post(ctx, v, body)
		if err == nil {
			return nil
		}
		if wait < 0 || attempt == c.attempts || ctx.Err() != nil {
			return fmt.Errorf("sending %d events (attempt %d): %w", len(events), attempt, err)
		}
		wait = max(wait, c.backoff(attempt))
		if wait > c.maxDelay {
			return fmt.Errorf("sending %d events: the collector asks to wait %v: %w", len(events), wait, err)
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("sending %d events: %w", len(events), err)
		}
	}
}

// post makes one attempt. On failure it returns how long the collector
// asked to wait (0 when it did not say), or -1 when retrying is pointless.
func (c *Client) post(ctx context.Context, v Visitor, body []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return -1, fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+c.secret)
	req.Header.Set("User-Agent", "crumbless-go-client/1")
	if v.IP != "" {
		req.Header.Set(headerVisitorIP, hostOnly(v.IP))
	}
	if v.UserAgent != "" {
		req.Header.Set(headerVisitorUA, v.UserAgent)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err // the network: retry
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return 0, nil
	case s == http.StatusTooManyRequests || s >= 500:
		return retryAfter(resp.Header.Get("Retry-After"), c.now()), &StatusError{s, resp.Header.Get("X-Crumbless-Reason")}
	default:
		return -1, &StatusError{s, resp.Header.Get("X-Crumbless-Reason")}
	}
}

// backoff returns the delay before retry n (1 for the first retry): drawn
// at random below min·2^(n-1), capped at max ("full jitter", so that
// senders that failed together do not retry together).
func (c *Client) backoff(n int) time.Duration {
	bound := c.minDelay << min(n-1, 30)
	if bound <= 0 || bound > c.maxDelay {
		bound = c.maxDelay
	}
	return rand.N(bound) + 1
}

// retryAfter reads a Retry-After value: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hostOnly strips a port from addr, as in http.Request.RemoteAddr.
func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}
