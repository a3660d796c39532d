package identity

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Cluster shares a Keyer's salts with the other collectors behind the same
// load balancer, so that they all give a visitor the same id (the protocol
// is in the package doc). It answers its peers (Answer) and asks them
// (Join, Sync); the caller runs the loop, logs and counts.
type Cluster struct {
	keyer   *Keyer
	peers   []string
	x       *exchange
	client  *http.Client
	node    uint64 // a random name, to skip itself when it is in its own peer list
	joined  atomic.Bool
	preDraw int64 // ms before midnight tomorrow's candidate is drawn
}

// ClusterConfig configures a Cluster.
type ClusterConfig struct {
	// Keyer holds the salts to share. Required.
	Keyer *Keyer
	// Peers are the base URLs of the other collectors, like
	// http://10.0.0.2:8080. Listing the node itself is harmless.
	Peers []string
	// Key is the key every node shares, at least MinKeyLen bytes.
	Key []byte
	// Client makes the requests; nil means one with a 2-second timeout,
	// without keep-alives or a proxy.
	Client *http.Client
	// PreDraw is how long before midnight UTC tomorrow's salt is drawn
	// and agreed on; 0 means one hour.
	PreDraw time.Duration
}

// NewCluster checks cfg and returns a Cluster that has not joined yet.
func NewCluster(cfg ClusterConfig) (*Cluster, error) {
	if cfg.Keyer == nil {
		return nil, errors.New("creating the cluster: a Keyer is required")
	}
	x, err := newExchange(cfg.Key)
	if err != nil {
		return nil, fmt.Errorf("creating the cluster: %w", err)
	}
	c := &Cluster{keyer: cfg.Keyer, x: x, client: cfg.Client, preDraw: cfg.PreDraw.Milliseconds()}
	for _, p := range cfg.Peers {
		c.peers = append(c.peers, strings.TrimRight(p, "/"))
	}
	if c.client == nil {
		// A few requests a minute: no idle connection is kept open to hold
		// up a peer's shutdown, and no proxy from the environment is used.
		c.client = &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	}
	if c.preDraw <= 0 {
		c.preDraw = time.Hour.Milliseconds()
	}
	var n [8]byte
	_, _ = rand.Read(n[:])
	c.node = binary.BigEndian.Uint64(n[:])
	return c, nil
}

// Joined reports whether Join has returned: the node's salts are settled.
func (c *Cluster) Joined() bool { return c.joined.Load() }

// Answer answers a peer's request: the HTTP status and body. It refuses
// (403) a request that does not authenticate, is outside the time window
// or replays one already seen, and answers 404 for a day it holds no salt
// for, which includes every day before yesterday.
func (c *Cluster) Answer(r Request) (status int, body []byte, err error) {
	if r.Method != http.MethodGet {
		return http.StatusMethodNotAllowed, nil, errors.New("method not allowed")
	}
	day, nonce, err := c.x.verify(&r, c.keyer.now().Unix())
	switch {
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, nil, err
	case err != nil:
		return http.StatusForbidden, nil, err
	}
	var key [SaltBytes]byte
	defer clear(key[:])
	if !c.keyer.Export(day, &key) {
		return http.StatusNotFound, nil, errors.New("no salt for that day")
	}
	state := provisional
	if c.Joined() {
		state = settled
	}
	return http.StatusOK, c.x.seal(day, nonce, state, c.node, &key), nil
}

// answer is one peer's answer for one day.
type answer struct {
	state byte
	key   [SaltBytes]byte
}

// errNoSalt is a peer's 404: it has no salt for that day (not a failure).
var errNoSalt = errors.New("the peer has no salt for that day")

// ask requests day's salt from peer. A nil answer with a nil error means
// the peer is the node itself.
func (c *Cluster) ask(ctx context.Context, peer string, day int64) (*answer, error) {
	r := Request{Method: http.MethodGet, Path: SaltPath, Day: strconv.FormatInt(day, 10)}
	c.x.sign(&r, c.keyer.now().Unix())
	req, err := http.NewRequestWithContext(ctx, r.Method, peer+r.Path+"?day="+r.Day, nil)
	if err != nil {
		return nil, fmt.Errorf("asking %s: %w", peer, err)
	}
	req.Header.Set("X-Crumbless-Time", r.Time)
	req.Header.Set("X-Crumbless-Nonce", r.Nonce)
	req.Header.Set("Authorization", r.Auth)
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking %s: %w", peer, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, answerLen+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading %s's answer: %w", peer, err)
	case resp.StatusCode == http.StatusNotFound:
		return nil, errNoSalt
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("asking %s: %s", peer, resp.Status)
	}
	nonce, _ := hex.DecodeString(r.Nonce) // we made it
	a := &answer{}
	state, node, err := c.x.open(body, day, nonce, &a.key)
	if err != nil {
		return nil, fmt.Errorf("reading %s's answer: %w", peer, err)
	}
	if node == c.node {
		clear(a.key[:])
		return nil, nil
	}
	a.state = state
	return a, nil
}

// Round is what one exchange with every peer found.
type Round struct {
	// Answered is how many peers (other than the node itself) answered
	// for today.
	Answered int
	// Agreed reports whether every peer that answered for today, at
	// least one, holds the same salt as the node.
	Agreed bool
	// Adopted is how many salts the node took from its peers.
	Adopted int
	// Errors are the peers' failures, one per failed request.
	Errors []error
}

// gather asks every peer for day's salt, concurrently.
func (c *Cluster) gather(ctx context.Context, day int64) (answers []*answer, errs []error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range c.peers {
		wg.Go(func() {
			a, err := c.ask(ctx, p, day)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil && !errors.Is(err, errNoSalt):
				errs = append(errs, err)
			case a != nil:
				answers = append(answers, a)
			}
		})
	}
	wg.Wait()
	return answers, errs
}

// lowest returns the answer of the given state with the lowest tag, or nil.
func (c *Cluster) lowest(answers []*answer, state byte) *answer {
	var best *answer
	var bestTag uint64
	for _, a := range answers {
		if a.state != state {
			continue
		}
		if t := c.keyer.Tag(&a.key); best == nil || t < bestTag {
			best, bestTag = a, t
		}
	}
	return best
}

func wipe(answers []*answer) {
	for _, a := range answers {
		clear(a.key[:])
	}
}

// Join asks the peers for today's salt until one answers as settled,
// every peer has answered, or ctx ends (the caller bounds the wait),
// retrying every retry. A settled salt wins over the node's own draw (the
// lowest tag among several); in a cold start, when every peer is joining
// too, the lowest tag among all the draws wins. With a settled salt it
// also takes yesterday's, for bridging. Round.Agreed is false when it
// gave up waiting: the node keeps its own salt and Sync reconciles later.
// After Join the node answers as settled.
func (c *Cluster) Join(ctx context.Context, retry time.Duration) Round {
	defer c.joined.Store(true)
	for {
		day := c.keyer.Day()
		answers, errs := c.gather(ctx, day)
		r := Round{Answered: len(answers), Errors: errs}
		if best := c.lowest(answers, settled); best != nil {
			c.keyer.Offer(day, &best.key, true)
			wipe(answers)
			r.Adopted = 1 + c.takeYesterday(ctx, day)
			r.Agreed = true
			return r
		}
		if len(errs) == 0 || ctx.Err() != nil {
			r.Adopted = c.offerAll(day, answers, provisional)
			r.Agreed = len(errs) == 0 && len(answers) > 0
			return r
		}
		wipe(answers)
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
}

// takeYesterday takes the lowest of the peers' salts for yesterday, for
// bridging visits across midnight.
func (c *Cluster) takeYesterday(ctx context.Context, today int64) int {
	answers, _ := c.gather(ctx, today-1)
	defer wipe(answers)
	if best := c.lowest(answers, settled); best != nil && c.keyer.Offer(today-1, &best.key, false) {
		return 1
	}
	return 0
}

// offerAll offers the node every answer of the given state for day, and
// returns how many it took (the lowest tag wins).
func (c *Cluster) offerAll(day int64, answers []*answer, state byte) int {
	defer wipe(answers)
	taken := 0
	for _, a := range answers {
		if a.state == state && c.keyer.Offer(day, &a.key, false) {
			taken++
		}
	}
	return taken
}

// Sync is one reconciliation round, run periodically after Join: for
// yesterday, today and, within PreDraw of midnight, tomorrow (drawing the
// node's own candidate first), it asks every peer and takes any settled
// salt with a lower tag than its own. Round.Agreed is about today.
func (c *Cluster) Sync(ctx context.Context) Round {
	day := c.keyer.Day()
	var r Round
	days := []int64{day - 1, day}
	if c.keyer.now().UnixMilli() >= (day+1)*dayMillis-c.preDraw {
		if err := c.keyer.DrawNext(); err != nil {
			r.Errors = append(r.Errors, err)
		}
		days = append(days, day+1)
	}
	for _, d := range days {
		answers, errs := c.gather(ctx, d)
		r.Errors = append(r.Errors, errs...)
		if d == day {
			r.Answered = len(answers)
			r.Agreed = c.agrees(day, answers)
		}
		r.Adopted += c.offerAll(d, answers, settled)
	}
	return r
}

// agrees reports whether at least one peer answered settled for day and
// every settled answer is the node's own salt.
func (c *Cluster) agrees(day int64, answers []*answer) bool {
	var own [SaltBytes]byte
	defer clear(own[:])
	if !c.keyer.Export(day, &own) {
		return false
	}
	n := 0
	for _, a := range answers {
		if a.state != settled {
			continue
		}
		if a.key != own {
			return false
		}
		n++
	}
	return n > 0
}
