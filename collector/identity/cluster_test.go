package identity

import (
	"bytes"
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var clusterKey = []byte("0123456789abcdef0123456789abcdef-test")

// node is one collector's identity: a Keyer, its Cluster, and an HTTP
// server answering peers the way the collector's route does.
type node struct {
	k   *Keyer
	c   *Cluster
	url string
}

// serveAnswers starts an HTTP server that hands requests to *c.
func serveAnswers(t *testing.T, c **Cluster) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body, _ := (*c).Answer(requestOf(r))
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func requestOf(r *http.Request) Request {
	return Request{Method: r.Method, Path: r.URL.Path, Day: r.URL.Query().Get("day"),
		Time: r.Header.Get("X-Crumbless-Time"), Nonce: r.Header.Get("X-Crumbless-Nonce"), Auth: r.Header.Get("Authorization")}
}

// newNodes starts one node per seed, each listing every node (itself
// included) as a peer, all on clock c.
func newNodes(t *testing.T, c *clock, seeds ...byte) []*node {
	t.Helper()
	nodes := make([]*node, len(seeds))
	var urls []string
	for i, seed := range seeds {
		k, err := New(Config{Now: c.Now, Rand: &counterRand{n: seed}})
		if err != nil {
			t.Fatal(err)
		}
		nodes[i] = &node{k: k}
		urls = append(urls, serveAnswers(t, &nodes[i].c))
	}
	for _, n := range nodes {
		var err error
		if n.c, err = NewCluster(ClusterConfig{Keyer: n.k, Peers: urls, Key: clusterKey}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range nodes {
		nodes[i].url = urls[i]
	}
	return nodes
}

func joinAll(t *testing.T, nodes ...*node) []Round {
	t.Helper()
	rounds := make([]Round, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			rounds[i] = n.c.Join(ctx, 10*time.Millisecond)
		})
	}
	wg.Wait()
	return rounds
}

func saltOf(t *testing.T, k *Keyer, day int64) [SaltBytes]byte {
	t.Helper()
	var s [SaltBytes]byte
	if !k.Export(day, &s) {
		t.Fatalf("no salt for day %d", day)
	}
	return s
}

func lowerTag(k *Keyer, a, b [SaltBytes]byte) [SaltBytes]byte {
	if k.Tag(&a) < k.Tag(&b) {
		return a
	}
	return b
}

// TestClusterColdStartConverges: two nodes start together, each with its
// own draw; both end up with the draw of the lower tag and give a visitor
// the same id.
func TestClusterColdStartConverges(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	nodes := newNodes(t, c, 0, 100)
	day := nodes[0].k.Day()
	a, b := saltOf(t, nodes[0].k, day), saltOf(t, nodes[1].k, day)
	if a == b {
		t.Fatal("the two nodes drew the same salt; the test proves nothing")
	}
	want := lowerTag(nodes[0].k, a, b)
	for i, r := range joinAll(t, nodes...) {
		if !r.Agreed || r.Answered != 1 || len(r.Errors) != 0 {
			t.Errorf("node %d joined with %+v", i, r)
		}
		if got := saltOf(t, nodes[i].k, day); got != want {
			t.Errorf("node %d holds the higher-tag salt", i)
		}
	}
	idA := nodes[0].k.AppendVisitorID(nil, site, ip, ua)
	if idB := nodes[1].k.AppendVisitorID(nil, site, ip, ua); !bytes.Equal(idA, idB) {
		t.Errorf("visitor ids %s and %s differ", idA, idB)
	}
}

// TestClusterAgreesOnTomorrowBeforeMidnight: from PreDraw before midnight
// each node draws a candidate; after a round each way both hold the lower
// one, and after midnight both give a visitor the same new id.
func TestClusterAgreesOnTomorrowBeforeMidnight(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 22, 0, 0, 0, time.UTC))
	nodes := newNodes(t, c, 0, 100)
	joinAll(t, nodes...)
	ctx := context.Background()
	if r := nodes[0].c.Sync(ctx); !r.Agreed || len(r.Errors) != 0 {
		t.Errorf("sync at 22:00: %+v", r)
	}
	if nodes[0].k.next.live {
		t.Error("tomorrow's candidate drawn before the window")
	}
	before := nodes[0].k.AppendVisitorID(nil, site, ip, ua)

	c.Advance(70 * time.Minute) // 23:10
	tomorrow := nodes[0].k.Day() + 1
	nodes[0].c.Sync(ctx) // draws its candidate; the other has none yet
	candA := saltOf(t, nodes[0].k, tomorrow)
	if nodes[1].k.next.live {
		t.Fatal("node 1 has a candidate before its own round")
	}
	if err := nodes[1].k.DrawNext(); err != nil {
		t.Fatal(err)
	}
	candB := saltOf(t, nodes[1].k, tomorrow)
	if candA == candB {
		t.Fatal("same candidates; the test proves nothing")
	}
	want := lowerTag(nodes[0].k, candA, candB)
	nodes[1].c.Sync(ctx)
	nodes[0].c.Sync(ctx)
	for i, n := range nodes {
		if saltOf(t, n.k, tomorrow) != want {
			t.Errorf("node %d did not take the lower candidate", i)
		}
	}

	c.Advance(65 * time.Minute) // 00:15, after a pause: a new visit
	idA := nodes[0].k.AppendVisitorID(nil, site, ip, ua)
	idB := nodes[1].k.AppendVisitorID(nil, site, ip, ua)
	if !bytes.Equal(idA, idB) || bytes.Equal(idA, before) {
		t.Errorf("after midnight: ids %s and %s (yesterday %s)", idA, idB, before)
	}
	if r := nodes[1].c.Sync(ctx); !r.Agreed || r.Adopted != 0 {
		t.Errorf("sync after midnight: %+v", r)
	}
}

// TestClusterJoinMidDay: a node starting mid-day takes its running peer's
// today's salt even when its own draw has the lower tag, and yesterday's
// for bridging; it skips itself in its peer list.
func TestClusterJoinMidDay(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	running := newNodes(t, c, 0)[0]
	joinAll(t, running)
	c.Advance(24 * time.Hour) // now it has yesterday's and today's
	day := running.k.Day()
	today, yesterday := saltOf(t, running.k, day), saltOf(t, running.k, day-1)

	for seed := byte(100); ; seed += 16 { // find a newcomer whose own draw would win by tag
		k, err := New(Config{Now: c.Now, Rand: &counterRand{n: seed}})
		if err != nil {
			t.Fatal(err)
		}
		own := saltOf(t, k, day)
		if k.Tag(&own) > k.Tag(&today) {
			continue
		}
		var cl *Cluster
		self := serveAnswers(t, &cl)
		if cl, err = NewCluster(ClusterConfig{Keyer: k, Peers: []string{running.url, self}, Key: clusterKey}); err != nil {
			t.Fatal(err)
		}
		if cl.Joined() {
			t.Error("joined before Join")
		}
		r := joinAll(t, &node{k: k, c: cl})[0]
		if !r.Agreed || r.Answered != 1 || r.Adopted != 2 || len(r.Errors) != 0 || !cl.Joined() {
			t.Errorf("join: %+v", r)
		}
		if saltOf(t, k, day) != today || saltOf(t, k, day-1) != yesterday {
			t.Error("the newcomer did not take its peer's salts")
		}
		prev, ok := k.AppendPreviousVisitorID(nil, site, ip, ua)
		want, _ := running.k.AppendPreviousVisitorID(nil, site, ip, ua)
		if !ok || !bytes.Equal(prev, want) {
			t.Errorf("yesterday's id on the newcomer %s, on the peer %s", prev, want)
		}
		return
	}
}

// TestClusterJoinAloneGivesUp: with no peer answering, Join returns when
// its context ends, keeps the node's own salt, and says it did not agree.
func TestClusterJoinAloneGivesUp(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	k := newKeyer(t, c)
	own := saltOf(t, k, k.Day())
	cl, err := NewCluster(ClusterConfig{Keyer: k, Peers: []string{"http://127.0.0.1:1"}, Key: clusterKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r := cl.Join(ctx, 50*time.Millisecond)
	if r.Agreed || len(r.Errors) == 0 || !cl.Joined() || saltOf(t, k, k.Day()) != own {
		t.Errorf("join alone: %+v", r)
	}
}

// signed returns a request for day signed by x at the clock's time.
func signed(x *exchange, c *clock, day int64) Request {
	r := Request{Method: "GET", Path: SaltPath, Day: strconv.FormatInt(day, 10)}
	x.sign(&r, c.Now().Unix())
	return r
}

// TestClusterNeverHandsOutOldSalts: yesterday's salt is handed out (for
// bridging), the day before's never, even when asked with a valid request;
// nor is one taken.
func TestClusterNeverHandsOutOldSalts(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	n := newNodes(t, c, 0)[0]
	joinAll(t, n)
	first := n.k.Day()
	c.Advance(24 * time.Hour)
	if st, _, err := n.c.Answer(signed(n.c.x, c, first)); st != http.StatusOK {
		t.Errorf("yesterday's salt: %d %v", st, err)
	}
	c.Advance(24 * time.Hour)
	for _, day := range []int64{first, first - 1, first + 10} {
		if st, body, _ := n.c.Answer(signed(n.c.x, c, day)); st != http.StatusNotFound || body != nil {
			t.Errorf("day %d: %d with %d bytes", day, st, len(body))
		}
	}
	var old [SaltBytes]byte
	old[0] = 1
	if n.k.Export(first, &old) || n.k.Offer(first, &old, true) || old != [SaltBytes]byte{} {
		t.Error("a salt older than yesterday was exported or taken, or the offer not zeroed")
	}
}

// TestClusterAuth: only a fresh, unseen request signed with the shared key
// for exactly what it asks is answered, and only the asker can read it.
func TestClusterAuth(t *testing.T) {
	c := newClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	n := newNodes(t, c, 0)[0]
	joinAll(t, n)
	day := n.k.Day()
	other, err := newExchange([]byte("another key, long enough to be accepted"))
	if err != nil {
		t.Fatal(err)
	}
	good := signed(n.c.x, c, day)
	status, body, err := n.c.Answer(good)
	if status != http.StatusOK {
		t.Fatalf("a good request: %d %v", status, err)
	}
	if status, body, err := n.c.Answer(good); status != http.StatusForbidden || body != nil || err != errReplay {
		t.Errorf("the same request again, within the window: %d %v", status, err)
	}
	nonce, _ := hex.DecodeString(good.Nonce)
	var got [SaltBytes]byte
	if _, _, err := n.c.x.open(body, day, nonce, &got); err != nil || got != saltOf(t, n.k, day) {
		t.Errorf("opening the answer: %v", err)
	}
	if _, _, err := other.open(body, day, nonce, &got); err == nil {
		t.Error("another key opened the answer")
	}
	if _, _, err := n.c.x.open(body, day-1, nonce, &got); err == nil {
		t.Error("the answer opened as another day's")
	}
	body[len(body)-1] ^= 1
	if _, _, err := n.c.x.open(body, day, nonce, &got); err == nil {
		t.Error("a tampered answer opened")
	}

	stale := signed(n.c.x, c, day)
	c.Advance((MaxSkew + 1) * time.Second)
	bad := map[string]Request{"replayed late": good, "stale": stale, "other key": signed(other, c, day)}
	// The signature's last digit changed: compared with the request's own
	// (another signed request has another nonce, so another signature).
	forged := signed(n.c.x, c, day)
	flip := "0"
	if strings.HasSuffix(forged.Auth, "0") {
		flip = "1"
	}
	forged.Auth = forged.Auth[:len(forged.Auth)-1] + flip
	bad["forged"] = forged
	otherDay := signed(n.c.x, c, day)
	otherDay.Day = strconv.FormatInt(day-1, 10)
	bad["day changed"] = otherDay
	otherPath := signed(n.c.x, c, day)
	otherPath.Path = "/cluster/other"
	bad["path changed"] = otherPath
	bad["unsigned"] = Request{Method: "GET", Path: SaltPath, Day: strconv.FormatInt(day, 10)}
	future := Request{Method: "GET", Path: SaltPath, Day: strconv.FormatInt(day, 10)}
	n.c.x.sign(&future, c.Now().Unix()+MaxSkew+1)
	bad["from the future"] = future
	for name, r := range bad {
		if status, body, _ := n.c.Answer(r); status != http.StatusForbidden || body != nil {
			t.Errorf("%s request: %d with %d bytes", name, status, len(body))
		}
	}
}

func TestNewClusterNeedsALongKey(t *testing.T) {
	k := newKeyer(t, newClock(time.Now()))
	if _, err := NewCluster(ClusterConfig{Keyer: k, Key: []byte("short")}); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}
