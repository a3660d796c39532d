package channel

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// kind is what a known source is.
type kind uint8

const (
	kindNone kind = iota
	kindSearch
	kindSocial
	kindVideo
	kindEmail
	kindAI
	kindAds   // an ad server: its referrals are display clicks
	kindOther // known by name, but a plain referral (support.google.com)
	numKinds
)

// kindOf maps the kinds named in the data files. When one name has
// several kinds, the earlier in kindRank wins.
var kindOf = map[string]kind{
	"search": kindSearch, "social": kindSocial, "video": kindVideo, "email": kindEmail,
	"ai": kindAI, "paid": kindAds, "referral": kindOther, "unknown": kindOther,
}

var kindRank = [numKinds]int{kindAI: 1, kindVideo: 2, kindSearch: 3, kindSocial: 4, kindEmail: 5, kindAds: 6, kindOther: 7}

// source is one known source.
type source struct {
	kind kind
	name []byte
}

// Classifier holds the known sources. It is read-only once built, so it
// is safe for concurrent use.
type Classifier struct {
	hosts map[string]source // by lower-case host
	names map[string]source // by lower-case name or alias
}

//go:embed data/referrers.json
var referrersJSON []byte

//go:embed data/extra.txt
var extraTxt []byte

// Default returns the Classifier of the embedded lists, built on the
// first call.
var Default = sync.OnceValues(func() (*Classifier, error) { return New(referrersJSON, extraTxt) })

// New builds a Classifier from a referrers.json ({"host": {"source":
// name, "medium": kind}}) and an extra.txt ("kind key name" lines, which
// win over the JSON).
func New(referrers, extra []byte) (*Classifier, error) {
	c := &Classifier{hosts: map[string]source{}, names: map[string]source{}}
	var list map[string]struct{ Source, Medium string }
	if err := json.Unmarshal(referrers, &list); err != nil {
		return nil, fmt.Errorf("reading the referrer list: %w", err)
	}
	for host, r := range list {
		k, ok := kindOf[r.Medium]
		if !ok {
			return nil, fmt.Errorf("reading the referrer list: %s: unknown medium %q", host, r.Medium)
		}
		c.add(host, k, r.Source, false)
	}
	if err := c.addExtra(extra); err != nil {
		return nil, fmt.Errorf("reading the extra source list: %w", err)
	}
	return c, nil
}

func (c *Classifier) addExtra(extra []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(extra))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		k, ok := kindOf[f[0]]
		if len(f) < 3 || !ok {
			return fmt.Errorf("line %d: want kind, host or name, and a name: %q", n, line)
		}
		c.add(f[1], k, strings.Join(f[2:], " "), true)
	}
	return sc.Err()
}

// add records a source under its host (a key with a dot) or as a name
// alias, and under its lower-cased name.
func (c *Classifier) add(key string, k kind, name string, override bool) {
	s := source{kind: k, name: []byte(name)}
	key = strings.ToLower(key)
	if strings.Contains(key, ".") {
		if _, dup := c.hosts[key]; override || !dup {
			c.hosts[key] = s
		}
		c.addName(key, s, override)
	}
	c.addName(strings.ToLower(name), s, override)
	if !strings.Contains(key, ".") {
		c.addName(key, s, true)
	}
}

func (c *Classifier) addName(name string, s source, override bool) {
	old, dup := c.names[name]
	if !dup || override || kindRank[s.kind] < kindRank[old.kind] {
		c.names[name] = s
	}
}

// byHost finds host (any case) or its closest listed parent domain.
func (c *Classifier) byHost(host []byte) (source, bool) {
	var buf [maxHost]byte
	h := lower(buf[:0], host)
	for len(h) > 0 {
		if s, ok := c.hosts[string(h)]; ok {
			return s, true
		}
		i := bytes.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return source{}, false
}

// byName finds a lower-case utm_source: as a host (google.com,
// chatgpt.com), then as a name or alias (google, fb).
func (c *Classifier) byName(name []byte) (source, bool) {
	if bytes.IndexByte(name, '.') >= 0 {
		if s, ok := c.byHost(name); ok {
			return s, true
		}
	}
	s, ok := c.names[string(name)]
	return s, ok
}
