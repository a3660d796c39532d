package heatmap

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// knownGrid has a hot cell (3,12: 100), a warm one (10,50: 50) and a cold
// one (40,90: 1); every other cell is zero.
func knownGrid() *Grid {
	g := NewGrid(LayerClick)
	g.Add(3, 12, 100)
	g.Add(10, 50, 50)
	g.Add(40, 90, 1)
	return g
}

// centre returns the pixel at the centre of cell x, y of a 50×100 grid
// drawn in img.
func centre(img image.Image, x, y int) color.RGBA {
	b := img.Bounds()
	px := (2*x + 1) * b.Dx() / (2 * GridCols)
	py := (2*y + 1) * b.Dy() / (2 * GridRows)
	r, g, bl, a := img.At(px, py).RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}
}

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// heat orders colours of the gradient: 0 for blue up to 1 for red.
func heat(c color.RGBA) float64 {
	best, bestDist := 0.0, 1<<30
	for i := 0; i <= 1000; i++ {
		g := Gradient(float64(i) / 1000)
		d := sq(int(g.R)-int(c.R)) + sq(int(g.G)-int(c.G)) + sq(int(g.B)-int(c.B))
		if d < bestDist {
			best, bestDist = float64(i)/1000, d
		}
	}
	return best
}

func sq(x int) int { return x * x }

func TestGradient(t *testing.T) {
	for tv, want := range map[float64]color.RGBA{0: blue, 0.25: {0, 255, 255, 255}, 0.5: green, 0.75: {255, 255, 0, 255}, 1: red, 2: red, -1: blue} {
		if got := Gradient(tv); got != want {
			t.Errorf("Gradient(%v) = %v, want %v", tv, got, want)
		}
	}
}

func TestRenderWithoutScreenshot(t *testing.T) {
	img, err := Render(knownGrid(), RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != DefaultWidth || b.Dy() != DefaultHeight {
		t.Fatalf("size %v", b)
	}
	hot, warm, cold, zero := centre(img, 3, 12), centre(img, 10, 50), centre(img, 40, 90), centre(img, 25, 25)
	if hot != red || warm != Gradient(0.5) || cold != Gradient(0.01) || zero != white {
		t.Errorf("hot %v (want red), warm %v (want %v), cold %v (want %v), zero %v (want white)",
			hot, warm, Gradient(0.5), cold, Gradient(0.01), zero)
	}
	if !(heat(hot) > heat(warm) && heat(warm) > heat(cold)) {
		t.Errorf("heat: hot %.2f, warm %.2f, cold %.2f", heat(hot), heat(warm), heat(cold))
	}
	// The hot cell fills its whole rectangle: 10×10 pixels at 500×1000.
	for _, p := range []image.Point{{30, 120}, {39, 129}} {
		if c := img.RGBAAt(p.X, p.Y); c != red {
			t.Errorf("pixel %v = %v, want red", p, c)
		}
	}
	if c := img.RGBAAt(40, 120); c != white {
		t.Errorf("pixel right of the hot cell = %v, want white", c)
	}
}

func TestRenderLogScale(t *testing.T) {
	img, err := Render(knownGrid(), RenderOptions{Width: 100, Height: 200, Log: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := centre(img, 40, 90), Gradient(Intensity(1, 100, true)); got != want {
		t.Errorf("cold cell on a log scale = %v, want %v", got, want)
	}
	if centre(img, 3, 12) != red || heat(centre(img, 40, 90)) < 0.1 {
		t.Errorf("log scale: hot %v, cold %v", centre(img, 3, 12), centre(img, 40, 90))
	}
}

func TestRenderOverScreenshot(t *testing.T) {
	shot := image.NewRGBA(image.Rect(0, 0, 300, 700))
	grey := color.RGBA{100, 100, 100, 255}
	for i := 0; i < len(shot.Pix); i += 4 {
		copy(shot.Pix[i:], []byte{grey.R, grey.G, grey.B, grey.A})
	}
	img, err := Render(knownGrid(), RenderOptions{Screenshot: shot})
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 700 {
		t.Fatalf("size %v, want the screenshot's", b)
	}
	// 0.6 × red + 0.4 × grey
	if hot, want := centre(img, 3, 12), (color.RGBA{193, 40, 40, 255}); hot != want {
		t.Errorf("hot cell %v, want %v", hot, want)
	}
	if zero := centre(img, 25, 25); zero != grey {
		t.Errorf("zero cell %v, want the screenshot's %v", zero, grey)
	}
	if warm := centre(img, 10, 50); warm != (color.RGBA{40, 193, 40, 255}) {
		t.Errorf("warm cell %v, want 0.6 × green over grey", warm)
	}
}

func TestRenderScrollBands(t *testing.T) {
	g := NewGrid(LayerScroll)
	g.Add(0, 0, 10)
	g.Add(0, 9, 5)
	img, err := Render(g, RenderOptions{Width: 100, Height: 100})
	if err != nil {
		t.Fatal(err)
	}
	if img.RGBAAt(0, 0) != red || img.RGBAAt(99, 9) != red || img.RGBAAt(50, 95) != Gradient(0.5) || img.RGBAAt(50, 50) != white {
		t.Errorf("bands: %v %v %v %v", img.RGBAAt(0, 0), img.RGBAAt(99, 9), img.RGBAAt(50, 95), img.RGBAAt(50, 50))
	}
}

func TestRenderRefusesHugeOutput(t *testing.T) {
	if _, err := Render(knownGrid(), RenderOptions{Width: 100000, Height: 100000}); err == nil {
		t.Error("accepted 10^10 pixels")
	}
}

// TestPlanAndRenderFromFiles renders from known raw input (computed on the
// fly), then from the written aggregates, and checks the hot cells.
func TestPlanAndRenderFromFiles(t *testing.T) {
	dir := t.TempDir()
	knownDay(t, dir)
	// The next day: 4.12 alone, by 6 visitors (its day reaches k).
	writeRaw(t, dir, day.Add(30*time.Hour), visitors(raw{path: "/", viewport: "lg", layer: "click", cells: "4.12:5"}, 6, "e")...)
	q := Query{Dir: dir, Site: "example.com", Path: "/", From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 1), Layer: LayerClick}
	for _, aggregated := range []bool{false, true} {
		if aggregated {
			for _, d := range []time.Time{day, day.AddDate(0, 0, 1)} {
				if _, err := AggregateDay(dir, "example.com", d, 5, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		p, err := NewPlan(q)
		if err != nil {
			t.Fatal(err)
		}
		var progress strings.Builder
		g, st, err := p.Load(&progress)
		if err != nil {
			t.Fatal(err)
		}
		if int64(progress.Len()) != p.Bytes || p.Bytes == 0 {
			t.Errorf("progress saw %d bytes of %d", progress.Len(), p.Bytes)
		}
		want := LoadStats{Computed: 2, Empty: 1, Cells: 2}
		if aggregated {
			want = LoadStats{Aggregated: 2, Empty: 1, Cells: 2}
		}
		if st != want {
			t.Errorf("aggregated %v: stats %+v, want %+v", aggregated, st, want)
		}
		// 3.12: 20 (the xs and anonymous rows are not counted); 4.12: 30
		// on the second day only; 10.10 withheld.
		if g.At(3, 12) != 20 || g.At(4, 12) != 30 || g.At(10, 10) != 0 || g.Max() != 30 {
			t.Errorf("aggregated %v: 3.12 = %d, 4.12 = %d, 10.10 = %d", aggregated, g.At(3, 12), g.At(4, 12), g.At(10, 10))
		}
		img, err := Render(g, RenderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if centre(img, 4, 12) != red || centre(img, 3, 12) != Gradient(20.0/30) || centre(img, 10, 10) != white {
			t.Errorf("aggregated %v: pixels %v %v %v", aggregated, centre(img, 4, 12), centre(img, 3, 12), centre(img, 10, 10))
		}
	}
	// A higher k at render time hides the 5-visitor cell of the first day.
	q.K = 6
	p, _ := NewPlan(q)
	if g, _, err := p.Load(nil); err != nil || g.At(3, 12) != 0 || g.At(4, 12) != 30 {
		t.Errorf("k = 6: %v", err)
	}
}

func TestPlanRefuses(t *testing.T) {
	ok := Query{Dir: t.TempDir(), Site: "example.com", Path: "/", From: day, To: day, Layer: LayerClick}
	for want, change := range map[string]func(*Query){
		"target layer":      func(q *Query) { q.Layer = LayerTarget },
		"no layer":          func(q *Query) { q.Layer = LayerUnknown },
		"no page path":      func(q *Query) { q.Path = "" },
		`viewport "huge"`:   func(q *Query) { q.Viewport = "huge" },
		"ends (2026-11-22)": func(q *Query) { q.To = day.AddDate(0, 0, -1) },
		"longer than 366":   func(q *Query) { q.To = day.AddDate(2, 0, 0) },
		"not a site id":     func(q *Query) { q.Site = "../x" },
	} {
		q := ok
		change(&q)
		if _, err := NewPlan(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}

func TestReadScreenshot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shot.png")
	f, _ := os.Create(path)
	png.Encode(f, image.NewRGBA(image.Rect(0, 0, 20, 40)))
	f.Close()
	img, err := ReadScreenshot(path)
	if err != nil || img.Bounds().Dx() != 20 || img.Bounds().Dy() != 40 {
		t.Errorf("ReadScreenshot: %v, %v", img, err)
	}
	os.WriteFile(path, []byte("not an image"), 0o644)
	if _, err := ReadScreenshot(path); err == nil || !strings.Contains(err.Error(), "reading screenshot") {
		t.Errorf("not an image: %v", err)
	}
}
