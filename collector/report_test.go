package collector

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// writeDemoHeatmap writes raw heatmap rows of the demo site for `at`'s
// day: cell 3.12 of / clicked by 5 visitors, cell 20.50 by 2.
func writeDemoHeatmap(t *testing.T, data string, at time.Time) {
	t.Helper()
	var rows bytes.Buffer
	for i := range 5 {
		cells := "3.12:4"
		if i < 2 {
			cells += ",20.50:1"
		}
		fmt.Fprintf(&rows, `{"event_id":"e%d","type":"heatmap","site":"demo.localhost","ts":"x","received_at":"x","path":"/","referrer":"","viewport":"md","layer":"click","cells":%q,"tier":"T2","visitor_id":"%016x","schema_version":1}`+"\n", i, cells, i+1)
	}
	dir := filepath.Join(data, "heatmaps", "site=demo.localhost", "date="+at.Format("2006-01-02"), "hour=09")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	if err := os.WriteFile(filepath.Join(dir, "part-x.ndjson.zst"), enc.EncodeAll(rows.Bytes(), nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDemoReport(t *testing.T) {
	cfg, _ := testConfig(t)
	cfg.Demo, cfg.Sites = true, nil
	now := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	cfg.Now = func() time.Time { return now }
	writeDemoHeatmap(t, cfg.DataDir, now.AddDate(0, 0, -1))
	srv := start(t, cfg)

	resp, body := get(t, "GET", srv.url+"/report?path=/")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("/report: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	for _, want := range []string{`<img src="/report.png?path=%2F"`, "1 cells from 0 aggregated and 1 raw days (6 without data); the hottest counts 20",
		`value="2026-11-17"`, `value="2026-11-23"`, "k = 5"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("/report has no %q:\n%s", want, body)
		}
	}
	if bytes.Contains(body, []byte("<script")) {
		t.Error("the report page has a script")
	}

	img := getPNG(t, srv.url+"/report.png?path=/")
	if hot, cold := pixelOfCell(img, 3, 12), pixelOfCell(img, 20, 50); hot != (color.RGBA{255, 0, 0, 255}) || cold != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("k = 5: cell 3.12 %v (want red), 20.50 %v (want white: withheld)", hot, cold)
	}
	img = getPNG(t, srv.url+"/report.png?path=/&k=2&viewport=md")
	if warm := pixelOfCell(img, 20, 50); warm == (color.RGBA{255, 255, 255, 255}) || warm.B != 255 {
		t.Errorf("k = 2: cell 20.50 %v, want a cold blue", warm)
	}
	img = getPNG(t, srv.url+"/report.png?path=/&viewport=xs")
	if c := pixelOfCell(img, 3, 12); c != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("viewport xs: cell 3.12 %v, want white", c)
	}

	for _, q := range []string{"?layer=target", "?k=0", "?from=yesterday", "?site=../etc", "?from=2020-01-01"} {
		if resp, body := get(t, "GET", srv.url+"/report"+q); resp.StatusCode != 400 || len(body) == 0 {
			t.Errorf("/report%s: %d %s", q, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, "POST", srv.url+"/report"); resp.StatusCode != 405 {
		t.Errorf("POST /report: %d", resp.StatusCode)
	}
}

func TestReportOnlyInDemoMode(t *testing.T) {
	cfg, _ := testConfig(t)
	writeDemoHeatmap(t, cfg.DataDir, time.Now())
	srv := start(t, cfg)
	for _, p := range []string{"/report", "/report.png"} {
		if resp, _ := get(t, "GET", srv.url+p); resp.StatusCode != 404 {
			t.Errorf("%s outside demo mode: %d, want 404", p, resp.StatusCode)
		}
	}
}

func getPNG(t *testing.T, url string) image.Image {
	t.Helper()
	resp, body := get(t, "GET", url)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%s: %d %s %s", url, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 500 || b.Dy() != 1000 {
		t.Fatalf("%s: size %v", url, b)
	}
	return img
}

func pixelOfCell(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x*10+5, y*10+5)).(color.RGBA)
}
