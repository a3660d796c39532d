package kafkasink

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// testCluster is an in-process Kafka-protocol cluster of three brokers
// whose listeners can be cut: every connection closed and new ones refused,
// as when the brokers become unreachable.
type testCluster struct {
	*kfake.Cluster
	gate *gate
}

func newCluster(t testing.TB) *testCluster {
	t.Helper()
	g := &gate{conns: map[net.Conn]struct{}{}}
	c, err := kfake.NewCluster(kfake.NumBrokers(3), kfake.ListenFn(g.listen))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &testCluster{Cluster: c, gate: g}
}

var topicSeq atomic.Int64

// config returns a sink configuration on fresh topics of six partitions,
// replicated three times, created by Connect.
func (c *testCluster) config() Config {
	p := fmt.Sprintf("t%d.", topicSeq.Add(1))
	return Config{
		Brokers: c.ListenAddrs(),
		Topics: Topics{Events: p + DefaultEventsTopic, Heatmaps: p + DefaultHeatmapsTopic,
			Consent: p + DefaultConsentTopic},
		CreateTopics: true, Partitions: 6, ReplicationFactor: 3,
		ProduceTimeout: 5 * time.Second,
		Logger:         slog.New(slog.DiscardHandler), Metrics: metrics.NewSet(),
	}
}

// gate is the listeners' switch. Cut resets every connection and refuses
// new ones, as when the brokers are down; stall holds every byte either
// way until restore, as when the network drops packets.
type gate struct {
	mu    sync.Mutex
	down  bool
	stall chan struct{} // closed by restore; nil when not stalled
	conns map[net.Conn]struct{}
}

func (g *gate) listen(network, addr string) (net.Listener, error) {
	l, err := net.Listen(network, addr)
	return &gatedListener{Listener: l, g: g}, err
}

func (g *gate) cut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.down = true
	for c := range g.conns {
		c.Close()
	}
}

func (g *gate) stallAll() {
	g.mu.Lock()
	g.stall = make(chan struct{})
	g.mu.Unlock()
}

func (g *gate) restore() {
	g.mu.Lock()
	g.down = false
	if g.stall != nil {
		close(g.stall)
		g.stall = nil
	}
	g.mu.Unlock()
}

// wait blocks while the gate is stalled.
func (g *gate) wait() {
	g.mu.Lock()
	st := g.stall
	g.mu.Unlock()
	if st != nil {
		<-st
	}
}

type gatedListener struct {
	net.Listener
	g *gate
}

func (l *gatedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.g.mu.Lock()
		down := l.g.down
		if !down {
			l.g.conns[c] = struct{}{}
		}
		l.g.mu.Unlock()
		if !down {
			return &gatedConn{Conn: c, g: l.g}, nil
		}
		c.Close()
	}
}

type gatedConn struct {
	net.Conn
	g *gate
}

func (c *gatedConn) Read(p []byte) (int, error) {
	c.g.wait()
	n, err := c.Conn.Read(p)
	c.g.wait() // bytes that arrived during a stall are held until it ends
	return n, err
}

func (c *gatedConn) Write(p []byte) (int, error) {
	c.g.wait()
	return c.Conn.Write(p)
}

func (c *gatedConn) Close() error {
	c.g.mu.Lock()
	delete(c.g.conns, c.Conn)
	c.g.mu.Unlock()
	return c.Conn.Close()
}

// consumed is one record read back.
type consumed struct {
	topic     string
	partition int32
	offset    int64
	key       []byte
	value     string
	headers   map[string]string
}

// readTopics reads every record of topics, from the start to the high
// watermarks.
func readTopics(t testing.TB, brokers []string, topics ...string) []consumed {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ends := endOffsets(ctx, t, cl, topics)
	var out []consumed
	for left := remaining(ends); left > 0; {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("reading back: %d partitions not read to their end: %v", left, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			out = append(out, consumedOf(r))
			if p := ends[r.Topic][r.Partition]; r.Offset+1 >= p.end && !p.done {
				ends[r.Topic][r.Partition] = partEnd{end: p.end, done: true}
				left--
			}
		})
	}
	return out
}

type partEnd struct {
	end  int64
	done bool
}

func remaining(ends map[string]map[int32]partEnd) int {
	n := 0
	for _, ps := range ends {
		for _, p := range ps {
			if !p.done {
				n++
			}
		}
	}
	return n
}

// endOffsets lists the high watermark of every partition of topics; an
// empty partition is done already.
func endOffsets(ctx context.Context, t testing.TB, cl *kgo.Client, topics []string) map[string]map[int32]partEnd {
	t.Helper()
	meta := kmsg.NewPtrMetadataRequest()
	for _, name := range topics {
		mt := kmsg.NewMetadataRequestTopic()
		mt.Topic = kmsg.StringPtr(name)
		meta.Topics = append(meta.Topics, mt)
	}
	mresp, err := meta.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	req := kmsg.NewPtrListOffsetsRequest()
	for _, mt := range mresp.Topics {
		rt := kmsg.NewListOffsetsRequestTopic()
		rt.Topic = *mt.Topic
		for _, p := range mt.Partitions {
			rp := kmsg.NewListOffsetsRequestTopicPartition()
			rp.Partition, rp.Timestamp = p.Partition, -1 // the end
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	ends := map[string]map[int32]partEnd{}
	for _, rt := range resp.Topics {
		ends[rt.Topic] = map[int32]partEnd{}
		for _, p := range rt.Partitions {
			if p.ErrorCode != 0 {
				t.Fatalf("listing offsets of %s/%d: error code %d", rt.Topic, p.Partition, p.ErrorCode)
			}
			ends[rt.Topic][p.Partition] = partEnd{end: p.Offset, done: p.Offset == 0}
		}
	}
	return ends
}

func consumedOf(r *kgo.Record) consumed {
	c := consumed{topic: r.Topic, partition: r.Partition, offset: r.Offset, key: r.Key,
		value: string(r.Value), headers: map[string]string{}}
	for _, h := range r.Headers {
		c.headers[h.Key] = string(h.Value)
	}
	return c
}
