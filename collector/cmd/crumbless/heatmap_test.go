package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// writeHeatmapRows writes a raw heatmap file for example.com on
// 2026-11-23: cell 3.12 clicked by 5 visitors (twice each), cell 4.12 by 4.
func writeHeatmapRows(t *testing.T, data string) {
	t.Helper()
	var rows bytes.Buffer
	for i := range 5 {
		cells := "3.12:2,4.12:1"
		if i == 4 {
			cells = "3.12:2"
		}
		fmt.Fprintf(&rows, `{"event_id":"e%d","type":"heatmap","site":"example.com","ts":"2026-11-23T10:00:00.000Z","received_at":"2026-11-23T10:00:00.000Z","path":"/pricing","referrer":"","viewport":"lg","layer":"click","cells":%q,"tier":"T2","visitor_id":"%016x","device":"desktop","schema_version":1}`+"\n",
			i, cells, i+1)
	}
	dir := filepath.Join(data, "heatmaps", "site=example.com", "date=2026-11-23", "hour=10")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	if err := os.WriteFile(filepath.Join(dir, "part-20261123T100000-00000000-000001.ndjson.zst"), enc.EncodeAll(rows.Bytes(), nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// cellPixel returns the colour at the centre of click cell x, y.
func cellPixel(img image.Image, x, y int) color.RGBA {
	b := img.Bounds()
	return color.RGBAModel.Convert(img.At((2*x+1)*b.Dx()/100, (2*y+1)*b.Dy()/200)).(color.RGBA)
}

func TestHeatmapAggregateAndRender(t *testing.T) {
	data := t.TempDir()
	writeHeatmapRows(t, data)
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"heatmap", "aggregate", "-data", data, "-site", "example.com", "-date", "2026-11-23", "-progress"}, &out, &errOut)
	if code != exitOK || !strings.Contains(out.String(), "5 rows read (0 invalid, 0 without visitor_id, left out); 2 cells: 1 written, 1 withheld (fewer than 5 visitors)") {
		t.Fatalf("aggregate: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(errOut.String(), "reading raw heatmap rows") || !strings.Contains(errOut.String(), "100%") {
		t.Errorf("no progress bar on stderr: %q", errOut.String())
	}
	files, _ := filepath.Glob(filepath.Join(data, "heatmap_aggregates", "site=example.com", "date=2026-11-23", "part-*.ndjson.zst"))
	if len(files) != 1 {
		t.Fatalf("aggregate files: %v", files)
	}

	png := filepath.Join(data, "out.png")
	out.Reset()
	errOut.Reset()
	code = run(t.Context(), []string{"heatmap", "render", "-data", data, "-site", "example.com", "-path", "/pricing",
		"-from", "2026-11-22", "-to", "2026-11-23", "-o", png, "-progress"}, &out, &errOut)
	if code != exitOK || !strings.Contains(out.String(), "1 days from aggregates, 0 computed from raw rows, 1 without data; 1 cells, hottest 10") {
		t.Fatalf("render: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(errOut.String(), "reading heatmap files") {
		t.Errorf("no progress bar on stderr: %q", errOut.String())
	}
	img := readPNG(t, png)
	if b := img.Bounds(); b.Dx() != 500 || b.Dy() != 1000 {
		t.Errorf("size %v", b)
	}
	if hot, withheld := cellPixel(img, 3, 12), cellPixel(img, 4, 12); hot != (color.RGBA{255, 0, 0, 255}) || withheld != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("hot cell %v (want red), withheld cell %v (want white)", hot, withheld)
	}
}

func TestHeatmapRenderOverScreenshotFromRawRows(t *testing.T) {
	data := t.TempDir()
	writeHeatmapRows(t, data)
	shot := image.NewRGBA(image.Rect(0, 0, 200, 800))
	for i := range shot.Pix {
		shot.Pix[i] = 255 // white, opaque
	}
	shotPath := filepath.Join(data, "shot.png")
	f, _ := os.Create(shotPath)
	if err := png.Encode(f, shot); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := filepath.Join(data, "over.png")
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"heatmap", "render", "-data", data, "-site", "example.com", "-path", "/pricing",
		"-from", "2026-11-23", "-screenshot", shotPath, "-k", "4", "-o", out}, &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), "0 days from aggregates, 1 computed from raw rows") {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr without -progress: %q", stderr.String())
	}
	img := readPNG(t, out)
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 800 {
		t.Errorf("size %v, want the screenshot's", b)
	}
	// k = 4: both cells. 3.12 (10) is red at 0.6 over white; 4.12 (4) is
	// Gradient(0.4) over white; an empty cell is the screenshot.
	if hot := cellPixel(img, 3, 12); hot != (color.RGBA{255, 102, 102, 255}) {
		t.Errorf("hot cell %v", hot)
	}
	if warm := cellPixel(img, 4, 12); warm.G != 255 || warm.R >= warm.G {
		t.Errorf("warm cell %v, want a green-cyan over white", warm)
	}
	if empty := cellPixel(img, 30, 70); empty != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("empty cell %v", empty)
	}
}

func TestHeatmapUsage(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"heatmap"},
		{"heatmap", "draw"},
		{"heatmap", "aggregate", "-data", data, "-site", "example.com"},
		{"heatmap", "aggregate", "-data", data, "-site", "example.com", "-date", "23/11/2026"},
		{"heatmap", "render", "-data", data, "-site", "example.com", "-path", "/", "-from", "2026-11-23"},
		{"heatmap", "render", "-data", data, "-site", "example.com", "-path", "/", "-from", "2026-11-23", "-layer", "hover", "-o", "x.png"},
		{"heatmap", "render", "-data", data, "-site", "example.com", "-path", "/", "-from", "2026-11-23", "-layer", "target", "-o", "x.png"},
		{"heatmap", "render", "-data", data, "-site", "../x", "-path", "/", "-from", "2026-11-23", "-o", "x.png"},
	} {
		var errOut bytes.Buffer
		if code := run(t.Context(), args, io.Discard, &errOut); code != exitUsage || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
	var errOut bytes.Buffer
	code := run(t.Context(), []string{"heatmap", "aggregate", "-data", data, "-site", "example.com", "-date", "2026-11-23"}, io.Discard, &errOut)
	if code != exitFail || !strings.Contains(errOut.String(), "no raw heatmap files under") {
		t.Errorf("no data: exit %d, %q", code, errOut.String())
	}
}
