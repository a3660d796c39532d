package row

import (
	"testing"

	"github.com/crumbless/crumbless/sdk/wire"
)

func BenchmarkAppendRows(b *testing.B) {
	var p wire.Parser
	batch, err := p.Parse(batchOf(20))
	if err != nil {
		b.Fatal(err)
	}
	c := fullContext()
	out := AppendRows(nil, batch, c)
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		out = AppendRows(out[:0], batch, c)
	}
}

func BenchmarkParseAndAppendRows(b *testing.B) {
	src := batchOf(20)
	c := fullContext()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var p wire.Parser
		var out []byte
		for pb.Next() {
			batch, err := p.Parse(src)
			if err != nil {
				b.Error(err)
				return
			}
			out = AppendRows(out[:0], batch, c)
		}
	})
}
