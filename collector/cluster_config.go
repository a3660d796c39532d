package collector

import (
	"fmt"
	"net/url"
	"os"
	"regexp"

	"github.com/crumbless/crumbless/collector/identity"
)

// ClusterConfig lets several collectors behind one load balancer give a
// visitor the same visitor_id: they agree on each day's salt over HTTP,
// authenticated and encrypted with a key they share (collector/identity's
// package doc has the protocol). The salt still never touches a disk.
//
//	cluster:
//	  peers: ["http://10.0.0.2:8080", "http://10.0.0.3:8080"]
//	  key_env: CRUMBLESS_CLUSTER_KEY
//
// Without peers each collector draws its own salt.
type ClusterConfig struct {
	// Peers are the base URLs of the other collectors, as this one reaches
	// them directly (not through the load balancer). The same list on
	// every node is fine: a node skips itself.
	Peers []string `yaml:"peers"`
	// KeyEnv names the environment variable holding the shared key: the
	// same value on every node, at least 32 bytes (`openssl rand -hex 32`).
	// The key is never written in this file. Default CRUMBLESS_CLUSTER_KEY.
	KeyEnv string `yaml:"key_env"`
}

// DefaultClusterKeyEnv is the default of ClusterConfig.KeyEnv.
const DefaultClusterKeyEnv = "CRUMBLESS_CLUSTER_KEY"

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// keyEnv returns the name of the key's environment variable.
func (c ClusterConfig) keyEnv() string { return or(c.KeyEnv, DefaultClusterKeyEnv) }

// validateCluster checks the peers and that the key's variable is set and
// long enough, without ever quoting the key.
func validateCluster(ps *problems, c ClusterConfig) {
	seen := map[string]int{}
	for i, p := range c.Peers {
		path := fmt.Sprintf("cluster.peers[%d]", i)
		if msg := peerProblem(p); msg != "" {
			ps.add(path, "%q %s", p, msg)
		} else if j, dup := seen[p]; dup {
			ps.add(path, "%q is already listed as cluster.peers[%d]", p, j)
		}
		seen[p] = i
	}
	if c.KeyEnv != "" && !envName.MatchString(c.KeyEnv) {
		ps.add("cluster.key_env", "%q is not an environment variable name; write the name, like %s, never the key itself", c.KeyEnv, DefaultClusterKeyEnv)
		return
	}
	if len(c.Peers) == 0 {
		return
	}
	switch key := os.Getenv(c.keyEnv()); {
	case key == "":
		ps.add("cluster.key_env", "the environment variable %s is not set; set it to the same random key on every collector, like the output of `openssl rand -hex 32`", c.keyEnv())
	case len(key) < identity.MinKeyLen:
		ps.add("cluster.key_env", "the key in %s is %d bytes long; use at least %d random ones, like the output of `openssl rand -hex 32`", c.keyEnv(), len(key), identity.MinKeyLen)
	}
}

// peerProblem says what is wrong with a peer's URL, or returns "".
func peerProblem(p string) string {
	u, err := url.Parse(p)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "is not a URL; write the peer's scheme, address and port, like http://10.0.0.2:8080"
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "has more than scheme://host:port; leave out any user, path or query"
	}
	return ""
}
