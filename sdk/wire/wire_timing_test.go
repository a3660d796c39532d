package wire

import (
	"strconv"
	"testing"
)

func sampleBatch(n int) Batch {
	b := Batch{Site: []byte("example.com"), SentAt: 1732380000123}
	for i := 0; i < n; i++ {
		e := Event{ID: []byte("0123456789abcdef01234567-" + strconv.Itoa(i)), Kind: KindPageview,
			TS: 1732380000000 + int64(i), Path: []byte("/blog/some-article-" + strconv.Itoa(i)),
			Referrer: []byte("https://news.example/"), Title: []byte("Some article — Example"),
			Viewport: []byte("lg"), Lang: []byte("en-GB"), TZ: []byte("Europe/London")}
		if i%4 == 3 {
			e.Kind, e.Name = KindCustom, []byte("signup")
			e.Props = []Prop{{[]byte("plan"), []byte("pro")}}
		}
		b.Events = append(b.Events, e)
	}
	return b
}

func BenchmarkParse20(b *testing.B) {
	batch := sampleBatch(20)
	raw := AppendBatch(nil, &batch)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	b.RunParallel(func(pb *testing.PB) {
		var p Parser
		for pb.Next() {
			if _, err := p.Parse(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkAppendBatch20(b *testing.B) {
	batch := sampleBatch(20)
	dst := AppendBatch(nil, &batch)
	b.ReportAllocs()
	b.SetBytes(int64(len(dst)))
	for b.Loop() {
		dst = AppendBatch(dst[:0], &batch)
	}
}
