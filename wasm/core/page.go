package core

import "github.com/crumbless/crumbless/sdk/wire"

// Viewport classes by width in CSS pixels: xs below 576, sm below 768, md
// below 1024, lg below 1440, xl from 1440 (Bootstrap's breakpoints, merged at
// the top).
var (
	viewportBreaks = [...]int{576, 768, 1024, 1440}
	viewportNames  = []byte("xssmmdlgxl")
)

// viewportClass returns the class of a width given as decimal text, or nil
// when the text is not a whole number of at most nine digits.
func viewportClass(width []byte) []byte {
	if len(width) == 0 || len(width) > 9 {
		return nil
	}
	w := 0
	for _, c := range width {
		if c < '0' || c > '9' {
			return nil
		}
		w = w*10 + int(c-'0')
	}
	i := 0
	for i < len(viewportBreaks) && w >= viewportBreaks[i] {
		i++
	}
	return viewportNames[2*i : 2*i+2 : 2*i+2]
}

// take sets *dst to the next field cut to n bytes, and setCut to v cut so
// (wire.Truncate). Passing dst by pointer makes the module smaller.
func (f *fields) take(dst *[]byte, n int) { setCut(dst, f.next(), n) }

func setCut(dst *[]byte, v []byte, n int) { *dst = wire.Truncate(v, n) }
