package enrich

import (
	"sync"

	"github.com/cespare/xxhash/v2"
	// Pinned at v1.1.0: the module proxy refuses v1.2.0 and later.
	useragent "github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"
)

// DefaultCacheSize is how many distinct User-Agents a Classifier remembers
// when NewClassifier is given 0.
const DefaultCacheSize = 4096

// Classifier classifies User-Agents. It remembers recent answers, keyed by
// a 64-bit xxhash of the User-Agent (never the User-Agent itself), so that
// a warm Classifier allocates nothing. It is safe for concurrent use.
type Classifier struct {
	parser *useragent.Parser
	max    int

	mu    sync.RWMutex
	cache map[uint64]Agent
}

// NewClassifier returns a Classifier that remembers up to cacheSize
// User-Agents; 0 means DefaultCacheSize. When full, it forgets them all
// and starts again, which keeps it simple and bounded.
func NewClassifier(cacheSize int) *Classifier {
	if cacheSize <= 0 {
		cacheSize = DefaultCacheSize
	}
	return &Classifier{
		parser: useragent.NewParser(),
		max:    cacheSize,
		cache:  make(map[uint64]Agent, cacheSize),
	}
}

// Classify returns the classes of the User-Agent ua.
func (c *Classifier) Classify(ua []byte) Agent {
	if len(ua) == 0 {
		return Agent{Device: DeviceUnknown}
	}
	key := xxhash.Sum64(ua)
	c.mu.RLock()
	a, ok := c.cache[key]
	c.mu.RUnlock()
	if ok {
		return a
	}
	a = classify(c.parser.Parse(string(ua)))
	c.mu.Lock()
	if len(c.cache) >= c.max {
		clear(c.cache)
	}
	c.cache[key] = a
	c.mu.Unlock()
	return a
}

func classify(ua useragent.UserAgent) Agent {
	return Agent{
		Browser: string(ua.Browser()),
		OS:      string(ua.OS()),
		Device:  deviceClass(ua),
	}
}

func deviceClass(ua useragent.UserAgent) string {
	if ua.IsBot() {
		return DeviceBot
	}
	switch ua.Device() {
	case agents.DeviceDesktop:
		return DeviceDesktop
	case agents.DeviceMobile:
		return DeviceMobile
	case agents.DeviceTablet:
		return DeviceTablet
	case agents.DeviceTV:
		return DeviceTV
	case agents.DeviceBot:
		return DeviceBot
	}
	return DeviceUnknown
}
