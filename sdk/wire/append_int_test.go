package wire

import (
	"math"
	"strconv"
	"testing"
)

func TestAppendIntIsStrconv(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 9, 10, 99, 100, 1732380000000, -1732380000000, math.MaxInt64, math.MinInt64} {
		if got, want := string(AppendInt([]byte("x"), v)), "x"+strconv.FormatInt(v, 10); got != want {
			t.Errorf("AppendInt(%d) = %q, want %q", v, got, want)
		}
	}
}
