package identity

import "testing"

func BenchmarkAppendVisitorID(b *testing.B) {
	k, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		buf := make([]byte, 0, IDLen)
		for pb.Next() {
			buf = k.AppendVisitorID(buf[:0], site, ip, ua)
		}
	})
}
