package collector

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crumbless/crumbless/collector/identity"
)

const testKeyEnv = "CRUMBLESS_TEST_CLUSTER_KEY"

func setClusterKey(t *testing.T) {
	t.Helper()
	t.Setenv(testKeyEnv, rand.Text()+rand.Text()) // 52 characters
}

func TestClusterConfig(t *testing.T) {
	setClusterKey(t)
	t.Setenv("SHORT_KEY", "0123456789")
	t.Setenv("UNSET_KEY", "")
	for _, tc := range []struct {
		c    ClusterConfig
		want string
	}{
		{ClusterConfig{}, ""},
		{ClusterConfig{Peers: []string{"http://10.0.0.2:8080", "https://node3.internal/"}, KeyEnv: testKeyEnv}, ""},
		{ClusterConfig{KeyEnv: "UNSET_KEY"}, ""}, // no peers: the key is not needed
		{ClusterConfig{Peers: []string{"10.0.0.2:8080"}, KeyEnv: testKeyEnv}, `cluster.peers[0]: "10.0.0.2:8080" is not a URL; write the peer's scheme, address and port, like http://10.0.0.2:8080`},
		{ClusterConfig{Peers: []string{"http://10.0.0.2:8080/cluster/salt"}, KeyEnv: testKeyEnv}, `cluster.peers[0]: "http://10.0.0.2:8080/cluster/salt" has more than scheme://host:port`},
		{ClusterConfig{Peers: []string{"http://a:1", "http://a:1"}, KeyEnv: testKeyEnv}, `cluster.peers[1]: "http://a:1" is already listed as cluster.peers[0]`},
		{ClusterConfig{Peers: []string{"http://a:1"}, KeyEnv: "UNSET_KEY"}, "cluster.key_env: the environment variable UNSET_KEY is not set; set it to the same random key on every collector"},
		{ClusterConfig{Peers: []string{"http://a:1"}, KeyEnv: "SHORT_KEY"}, "cluster.key_env: the key in SHORT_KEY is 10 bytes long; use at least 32"},
		{ClusterConfig{Peers: []string{"http://a:1"}, KeyEnv: "correct horse battery staple"}, `cluster.key_env: "correct horse battery staple" is not an environment variable name; write the name, like CRUMBLESS_CLUSTER_KEY, never the key itself`},
	} {
		cfg, _ := testConfig(t)
		cfg.Cluster = tc.c
		err := cfg.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: Validate() = %v, want %q", tc.c, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), os.Getenv(testKeyEnv)) {
			t.Errorf("the key is quoted in %v", err)
		}
	}
}

func TestClusterConfigDefaultKeyEnv(t *testing.T) {
	t.Setenv(DefaultClusterKeyEnv, "")
	cfg, _ := testConfig(t)
	cfg.Cluster.Peers = []string{"http://10.0.0.2:8080"}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), DefaultClusterKeyEnv+" is not set") {
		t.Errorf("Validate() = %v", err)
	}
}

// TestClusterSaltRouteIsOffWithoutPeers: a collector without peers has no
// salt endpoint.
func TestClusterSaltRouteIsOffWithoutPeers(t *testing.T) {
	cfg, _ := testConfig(t)
	ts := start(t, cfg)
	if resp, _ := get(t, "GET", ts.url+identity.SaltPath+"?day=1", "Authorization", "Crumbless-HMAC-SHA256 00"); resp.StatusCode != 404 {
		t.Errorf("GET %s without a cluster: %s", identity.SaltPath, resp.Status)
	}
}

// startOn runs a Server on ln, like start.
func startOn(t *testing.T, cfg Config, ln net.Listener) testServer {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		shutdown(t, s)
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return testServer{s, "http://" + ln.Addr().String()}
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, _ := get(t, "GET", url+"/readyz"); resp.StatusCode == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never became ready", url)
		}
	}
}

// TestClusterTwoNodesGiveOneVisitorID is the acceptance test: two
// collectors configured as peers (the same peer list on both, themselves
// included), with a network rate limit that would refuse the exchange if
// it applied to it. The same visitor sends a pageview to each; both rows
// have the same visitor_id; no salt (raw, hex or base64) is on any disk.
func TestClusterTwoNodesGiveOneVisitorID(t *testing.T) {
	setClusterKey(t)
	lnA, lnB := listen(t), listen(t)
	peers := []string{"http://" + lnA.Addr().String(), "http://" + lnB.Addr().String()}
	var nodes [2]testServer
	var cfgs [2]Config
	var logs [2]*logBuffer
	rate := 0.001
	for i, ln := range []net.Listener{lnA, lnB} {
		cfgs[i], logs[i] = testConfig(t)
		cfgs[i].Cluster = ClusterConfig{Peers: peers, KeyEnv: testKeyEnv}
		cfgs[i].Limits.NetworkRate, cfgs[i].Limits.NetworkBurst = &rate, 2
		nodes[i] = startOn(t, cfgs[i], ln)
	}
	for _, n := range nodes {
		waitReady(t, n.url)
	}
	for i, n := range nodes {
		_, metrics := get(t, "GET", n.url+"/metrics")
		if !bytes.Contains(metrics, []byte("crumbless_cluster_salt_synced 1")) {
			t.Errorf("node %d is not synced:\n%s", i, grepLines(metrics, "crumbless_cluster"))
		}
		for range 5 { // not rate-limited like ingest: refused for its authentication only
			if resp, _ := get(t, "GET", n.url+identity.SaltPath+"?day=1", "Authorization", "Crumbless-HMAC-SHA256 00"); resp.StatusCode != 403 {
				t.Errorf("node %d: an unauthenticated salt request: %s", i, resp.Status)
			}
		}
	}
	needles := saltNeedles(t, nodes[0].keyer, nodes[1].keyer)

	for i, n := range nodes {
		if resp := send(t, n.url, "POST", batchBodyFrom(t, "example.com", i, 1)); resp.StatusCode != 202 {
			t.Fatalf("pageview to node %d: %s", i, resp.Status)
		}
	}
	var ids [2]any
	for i, n := range nodes {
		shutdown(t, n.Server)
		rows := clusterNodeRows(t, cfgs[i].DataDir)
		if len(rows) != 1 || rows[0]["visitor_id"] == nil {
			t.Fatalf("node %d wrote %v", i, rows)
		}
		ids[i] = rows[0]["visitor_id"]
		if !strings.Contains(logs[i].String(), "cluster: salt agreed with the peers") {
			t.Errorf("node %d did not log its agreement:\n%s", i, logs[i])
		}
	}
	if ids[0] != ids[1] {
		t.Errorf("the same visitor got %v on one node and %v on the other", ids[0], ids[1])
	}
	scanForSalts(t, filepath.Dir(cfgs[0].DataDir), needles, cfgs[0].DataDir, cfgs[1].DataDir)
}

// clusterNodeRows returns the rows of the event files under dir.
func clusterNodeRows(t *testing.T, dir string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, f := range readDataDir(t, dir) {
		if !strings.HasPrefix(f.path, "events/") || !strings.HasSuffix(f.path, ".ndjson.zst") {
			continue
		}
		for _, line := range bytes.Split(bytes.TrimSpace(f.plain), []byte("\n")) {
			var r map[string]any
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatalf("%s: %v", f.path, err)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// saltNeedles returns every salt the Keyers hold (yesterday's, today's,
// tomorrow's), raw, in hex and in base64.
func saltNeedles(t *testing.T, keyers ...*identity.Keyer) [][]byte {
	t.Helper()
	var needles [][]byte
	for _, k := range keyers {
		for d := k.Day() - 1; d <= k.Day()+1; d++ {
			var s [identity.SaltBytes]byte
			if !k.Export(d, &s) {
				continue
			}
			needles = append(needles, bytes.Clone(s[:]), []byte(hex.EncodeToString(s[:])), []byte(strings.ToUpper(hex.EncodeToString(s[:]))))
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
				needles = append(needles, []byte(enc.EncodeToString(s[:])))
			}
		}
	}
	if len(needles) == 0 {
		t.Fatal("no salt to look for")
	}
	return needles
}

// scanForSalts looks for the needles in every file under root as it is on
// disk, and in the data directories' files decompressed and the spools'.
func scanForSalts(t *testing.T, root string, needles [][]byte, dataDirs ...string) {
	t.Helper()
	var files []dataFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		files = append(files, dataFile{path, raw})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dataDirs {
		files = append(files, readDataDir(t, dir)...)
		files = append(files, spoolFiles(t, dir)...)
	}
	if len(files) < 4 {
		t.Fatalf("only %d files scanned", len(files))
	}
	for _, f := range files {
		for _, n := range needles {
			if bytes.Contains(f.plain, n) {
				t.Errorf("%s holds a salt (%d bytes: %q)", f.path, len(n), n)
			}
		}
	}
}

func grepLines(b []byte, s string) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestClusterNodeWaitsForPeersBeforeReady: a node whose peer does not
// answer is not ready while it tries; after the bounded wait it runs on
// its own salt, ready, unsynced, with a warning.
func TestClusterNodeWaitsForPeersBeforeReady(t *testing.T) {
	defer func(d time.Duration) { joinTimeout = d }(joinTimeout)
	joinTimeout = 2 * time.Second
	setClusterKey(t)
	dead := listen(t) // accepts connections, never answers
	t.Cleanup(func() { dead.Close() })
	cfg, logs := testConfig(t)
	cfg.Cluster = ClusterConfig{Peers: []string{"http://" + dead.Addr().String()}, KeyEnv: testKeyEnv}
	ts := start(t, cfg)
	if resp, body := get(t, "GET", ts.url+"/readyz"); resp.StatusCode != 503 || !strings.Contains(string(body), "joining the cluster") {
		t.Errorf("/readyz while joining: %s %s", resp.Status, body)
	}
	waitReady(t, ts.url)
	_, metrics := get(t, "GET", ts.url+"/metrics")
	if !bytes.Contains(metrics, []byte("crumbless_cluster_salt_synced 0")) ||
		bytes.Contains(metrics, []byte("crumbless_cluster_exchange_errors_total 0")) {
		t.Errorf("metrics:\n%s", grepLines(metrics, "crumbless_cluster"))
	}
	if !strings.Contains(logs.String(), "cluster: no agreement with the peers") {
		t.Errorf("no warning in:\n%s", logs)
	}
	if resp := send(t, ts.url, "POST", batchBodyFrom(t, "example.com", 0, 1)); resp.StatusCode != 202 {
		t.Errorf("a lone node refused a pageview: %s", resp.Status)
	}
}
