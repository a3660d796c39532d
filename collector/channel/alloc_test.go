//go:build !race

package channel

import "testing"

func TestClassifyAllocatesNothing(t *testing.T) {
	c := classifier(t)
	inputs := []Input{
		{Referrer: []byte("https://www.Google.co.uk/search?q=x"), Own: own},
		{Referrer: []byte("https://blog.someone.dev/"), Own: own},
		{UTMSource: []byte("Newsletter"), UTMMedium: []byte("Email"), Own: own},
		{UTMSource: []byte("chatgpt.com"), Referrer: []byte("https://chatgpt.com/"), Own: own},
		{Click: []byte("gclid")},
	}
	if n := testing.AllocsPerRun(100, func() {
		for i := range inputs {
			c.Classify(&inputs[i])
		}
	}); n != 0 {
		t.Errorf("%.1f allocations per run, want 0", n)
	}
}
