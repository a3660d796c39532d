package heatmap

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // screenshots may be JPEG
	_ "image/png"
	"math"
	"os"
)

// Rendering defaults and limits.
const (
	DefaultWidth   = 500
	DefaultHeight  = 1000
	DefaultOpacity = 0.6
	// MaxPixels bounds the output and a screenshot (a long full-page
	// screenshot at 2× is about 40 Mpx).
	MaxPixels = 64 << 20
	// maxScreenshotBytes bounds a screenshot file.
	maxScreenshotBytes = 256 << 20
)

// RenderOptions says how to draw a Grid.
type RenderOptions struct {
	// Width and Height are the output's size without a screenshot;
	// 0 means DefaultWidth and DefaultHeight.
	Width, Height int
	// Screenshot, when set, is the page: the output takes its size and
	// the cells are blended over it with Opacity.
	Screenshot image.Image
	// Opacity of the colours over a screenshot, in (0, 1]; 0 means
	// DefaultOpacity.
	Opacity float64
	// Log makes intensity proportional to log(1+count) instead of count.
	Log bool
}

// gradient is the colour map, from the coldest counted cell (t just above
// 0) to the hottest (t = 1): blue, cyan, green, yellow, red.
var gradient = [...]color.RGBA{
	{0, 0, 255, 255},   // t = 0
	{0, 255, 255, 255}, // t = 0.25
	{0, 255, 0, 255},   // t = 0.5
	{255, 255, 0, 255}, // t = 0.75
	{255, 0, 0, 255},   // t = 1
}

// Gradient returns the colour of intensity t in [0, 1]: linear between
// blue (0), cyan (0.25), green (0.5), yellow (0.75) and red (1).
func Gradient(t float64) color.RGBA {
	t = min(max(t, 0), 1)
	pos := t * float64(len(gradient)-1)
	i := min(int(pos), len(gradient)-2)
	f := pos - float64(i)
	a, b := gradient[i], gradient[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// Intensity returns count's intensity in [0, 1] against the grid's max:
// count/max, or log(1+count)/log(1+max) with logScale; 0 when max is 0.
func Intensity(count, maxCount uint64, logScale bool) float64 {
	if maxCount == 0 {
		return 0
	}
	if logScale {
		return math.Log1p(float64(count)) / math.Log1p(float64(maxCount))
	}
	return float64(count) / float64(maxCount)
}

// Render draws g. Each cell is a rectangle of the output (the document
// grid scaled to it: a scroll bucket is a band the whole width). A cell
// with a count gets Gradient(Intensity): opaque on a white background, or
// blended over the screenshot with Opacity; a cell without one stays white
// (or shows the screenshot unchanged).
func Render(g *Grid, o RenderOptions) (*image.RGBA, error) {
	img, err := canvas(o)
	if err != nil {
		return nil, err
	}
	alpha := 1.0
	if o.Screenshot != nil {
		alpha = o.Opacity
		if alpha <= 0 || alpha > 1 {
			alpha = DefaultOpacity
		}
	}
	w, h, top := img.Bounds().Dx(), img.Bounds().Dy(), g.Max()
	for y := range g.Rows {
		for x := range g.Cols {
			c := g.At(x, y)
			if c == 0 {
				continue
			}
			r := image.Rect(x*w/g.Cols, y*h/g.Rows, (x+1)*w/g.Cols, (y+1)*h/g.Rows)
			blend(img, r, Gradient(Intensity(c, top, o.Log)), alpha)
		}
	}
	return img, nil
}

// canvas returns a copy of the screenshot, or a white image of the
// options' size.
func canvas(o RenderOptions) (*image.RGBA, error) {
	if s := o.Screenshot; s != nil {
		b := s.Bounds()
		if b.Dx()*b.Dy() > MaxPixels || b.Empty() {
			return nil, fmt.Errorf("screenshot of %d×%d pixels: empty or over %d", b.Dx(), b.Dy(), MaxPixels)
		}
		img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(img, img.Bounds(), s, b.Min, draw.Src)
		return img, nil
	}
	w, h := o.Width, o.Height
	if w == 0 && h == 0 {
		w, h = DefaultWidth, DefaultHeight
	}
	if w <= 0 || h <= 0 || w*h > MaxPixels {
		return nil, fmt.Errorf("output of %d×%d pixels: empty or over %d", w, h, MaxPixels)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	return img, nil
}

// blend paints c over r with opacity alpha.
func blend(img *image.RGBA, r image.Rectangle, c color.RGBA, alpha float64) {
	mix := func(bg, fg uint8) uint8 { return uint8(math.Round((1-alpha)*float64(bg) + alpha*float64(fg))) }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			p := img.Pix[i : i+4 : i+4]
			p[0], p[1], p[2], p[3] = mix(p[0], c.R), mix(p[1], c.G), mix(p[2], c.B), 255
		}
	}
}

// ReadScreenshot reads a PNG or JPEG file, refusing one over MaxPixels
// before decoding it.
func ReadScreenshot(path string) (image.Image, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading screenshot: %w", err)
	}
	if fi.Size() > maxScreenshotBytes {
		return nil, fmt.Errorf("reading screenshot %s: larger than %d bytes", path, maxScreenshotBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading screenshot: %w", err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading screenshot %s: %w", path, err)
	}
	if cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("reading screenshot %s: %d×%d pixels is over %d", path, cfg.Width, cfg.Height, MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading screenshot %s: %w", path, err)
	}
	return img, nil
}
