package enrich

import (
	"fmt"
	"sync"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		ua   string
		want Agent
	}{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
			Agent{"Chrome", "Windows", DeviceDesktop}},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			Agent{"Safari", "iOS", DeviceMobile}},
		{"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
			Agent{"Safari", "iOS", DeviceTablet}},
		{"Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
			Agent{"Samsung Browser", "Linux", DeviceTV}},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			Agent{"", "", DeviceBot}},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
			Agent{"Firefox", "Linux", DeviceDesktop}},
		{"curl/8.5.0", Agent{"", "", DeviceUnknown}},
		{"", Agent{"", "", DeviceUnknown}},
	}
	c := NewClassifier(0)
	for _, tt := range tests {
		for range 2 { // cold, then from the cache
			if got := c.Classify([]byte(tt.ua)); got != tt.want {
				t.Errorf("Classify(%.40q) = %+v, want %+v", tt.ua, got, tt.want)
			}
		}
	}
}

func TestCacheIsBounded(t *testing.T) {
	c := NewClassifier(8)
	for i := range 100 {
		c.Classify(fmt.Appendf(nil, "Mozilla/5.0 Firefox/%d.0", i))
		if n := len(c.cache); n > 8 {
			t.Fatalf("cache holds %d entries, limit 8", n)
		}
	}
}

func TestClassifyConcurrently(t *testing.T) {
	c := NewClassifier(4)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				if a := c.Classify(fmt.Appendf(nil, "Mozilla/5.0 Firefox/%d.0", (g+i)%16)); a.Device == "" {
					t.Error("empty device class")
					return
				}
			}
		})
	}
	wg.Wait()
}
