package channel

import "testing"

func BenchmarkClassify(b *testing.B) {
	c := classifier(b)
	inputs := []Input{
		{Referrer: []byte("https://www.google.co.uk/search?q=x"), Own: own},
		{Referrer: []byte("https://some.deep.blog.someone.dev/post/1"), Own: own},
		{UTMSource: []byte("Newsletter"), UTMMedium: []byte("Email"), UTMCampaign: []byte("nov"), Own: own},
		{Referrer: []byte("https://example.com/a"), Own: own},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Classify(&inputs[i%len(inputs)])
	}
}
