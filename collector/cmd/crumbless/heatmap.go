package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/crumbless/crumbless/collector/heatmap"
	"github.com/crumbless/crumbless/internal/durable"
)

const heatmapUsage = `usage:
  crumbless heatmap aggregate -data DIR -site SITE -date YYYY-MM-DD [-k 5]
  crumbless heatmap render -data DIR -site SITE -path /PAGE -from YYYY-MM-DD [-to YYYY-MM-DD]
      [-layer click|move|scroll] [-viewport xs|sm|md|lg|xl] [-screenshot FILE] [-log] [-k 5] -o OUT.png
`

// heatmapCmd runs `crumbless heatmap aggregate|render`.
func heatmapCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "aggregate":
			return heatmapAggregate(args[1:], stdout, stderr)
		case "render":
			return heatmapRender(args[1:], stdout, stderr)
		}
	}
	fmt.Fprint(stderr, heatmapUsage)
	return exitUsage
}

// heatmapAggregate aggregates one day of one site and replaces its
// aggregates.
func heatmapAggregate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("heatmap aggregate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "./data", "the data `DIR`ectory (raw rows under DIR/heatmaps)")
	site := fs.String("site", "", "the `SITE` id")
	date := fs.String("date", "", "the `DAY` to aggregate, YYYY-MM-DD (UTC, by received_at)")
	k := fs.Int("k", heatmap.DefaultK, "withhold cells seen by fewer than `K` distinct daily visitors")
	progress := fs.Bool("progress", isTerminal(stderr), "show a progress bar on stderr (default: when stderr is a terminal)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *site == "" || *date == "" || *k < 1 {
		fmt.Fprint(stderr, heatmapUsage)
		return exitUsage
	}
	day, err := heatmap.ParseDate(*date)
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitUsage
	}
	bar := newBar(*progress, heatmap.RawBytes(*data, *site, day), "reading raw heatmap rows", stderr)
	st, err := heatmap.AggregateDay(*data, *site, day, *k, asWriter(bar))
	finishBar(bar)
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s %s: %d rows read (%d invalid, %d without visitor_id, left out); %d cells: %d written, %d withheld (fewer than %d visitors) in %s\n",
		*site, *date, st.Rows, st.Invalid, st.Anonymous, st.Cells, st.Kept, st.Withheld, *k, heatmap.AggregateDayDir(*data, *site, day))
	return exitOK
}

// renderFlags are heatmap render's flags.
type renderFlags struct {
	q                    heatmap.Query
	layer, from, to, out string
	screenshot           string
	opts                 heatmap.RenderOptions
	progress             bool
}

func parseRenderFlags(args []string, stderr io.Writer) (*renderFlags, error) {
	f := &renderFlags{}
	fs := flag.NewFlagSet("heatmap render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.q.Dir, "data", "./data", "the data `DIR`ectory")
	fs.StringVar(&f.q.Site, "site", "", "the `SITE` id")
	fs.StringVar(&f.q.Path, "path", "", "the page's `PATH`, as in the rows")
	fs.StringVar(&f.from, "from", "", "the first `DAY`, YYYY-MM-DD")
	fs.StringVar(&f.to, "to", "", "the last `DAY`, YYYY-MM-DD (default: -from)")
	fs.StringVar(&f.layer, "layer", "click", "the `LAYER`: click, move or scroll")
	fs.StringVar(&f.q.Viewport, "viewport", "", "only this viewport `CLASS` (xs, sm, md, lg, xl); default all")
	fs.IntVar(&f.q.K, "k", heatmap.DefaultK, "withhold cells seen by fewer than `K` distinct daily visitors")
	fs.StringVar(&f.screenshot, "screenshot", "", "a full-page screenshot (PNG or JPEG) `FILE` to draw over; the output takes its size")
	fs.BoolVar(&f.opts.Log, "log", false, "intensity on a log scale")
	fs.IntVar(&f.opts.Width, "width", heatmap.DefaultWidth, "output width in pixels without a screenshot")
	fs.IntVar(&f.opts.Height, "height", heatmap.DefaultHeight, "output height in pixels without a screenshot")
	fs.Float64Var(&f.opts.Opacity, "opacity", heatmap.DefaultOpacity, "the colours' opacity over a screenshot, (0, 1]")
	fs.StringVar(&f.out, "o", "", "the output PNG `FILE`")
	fs.BoolVar(&f.progress, "progress", isTerminal(stderr), "show a progress bar on stderr (default: when stderr is a terminal)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 || f.q.Site == "" || f.q.Path == "" || f.from == "" || f.out == "" {
		return nil, errors.New("-site, -path, -from and -o are required")
	}
	if f.q.K < 1 {
		return nil, errors.New("-k must be at least 1")
	}
	return f, f.dates()
}

func (f *renderFlags) dates() error {
	var err error
	if f.q.From, err = heatmap.ParseDate(f.from); err != nil {
		return err
	}
	f.q.To = f.q.From
	if f.to != "" {
		if f.q.To, err = heatmap.ParseDate(f.to); err != nil {
			return err
		}
	}
	if f.q.Layer = heatmap.ParseLayer([]byte(f.layer)); f.q.Layer == heatmap.LayerUnknown {
		return fmt.Errorf("layer %q is not click, move or scroll", f.layer)
	}
	return nil
}

// heatmapRender draws a page's heatmap over a range of days into a PNG.
func heatmapRender(args []string, stdout, stderr io.Writer) int {
	f, err := parseRenderFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "crumbless: %v\n\n%s", err, heatmapUsage)
		}
		return exitUsage
	}
	if f.screenshot != "" {
		if f.opts.Screenshot, err = heatmap.ReadScreenshot(f.screenshot); err != nil {
			fmt.Fprintln(stderr, "crumbless:", err)
			return exitFail
		}
	}
	plan, err := heatmap.NewPlan(f.q)
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitUsage
	}
	bar := newBar(f.progress, plan.Bytes, "reading heatmap files", stderr)
	grid, st, err := plan.Load(asWriter(bar))
	finishBar(bar)
	if err == nil {
		err = renderTo(f.out, grid, f.opts)
	}
	if err != nil {
		fmt.Fprintln(stderr, "crumbless:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "wrote %s: %d days from aggregates, %d computed from raw rows, %d without data; %d cells, hottest %d\n",
		f.out, st.Aggregated, st.Computed, st.Empty, st.Cells, grid.Max())
	return exitOK
}

// renderTo renders grid into a PNG file, written under a temporary name
// and renamed once complete.
func renderTo(path string, grid *heatmap.Grid, opts heatmap.RenderOptions) error {
	img, err := heatmap.Render(grid, opts)
	if err != nil {
		return err
	}
	return writePNG(path, img)
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return durable.WriteFile(path, buf.Bytes())
}

// newBar returns a progress bar over total bytes on w, or nil when off or
// there is nothing to read. The bar is an io.Writer: the heatmap package
// writes every compressed byte it reads to it.
func newBar(on bool, total int64, what string, w io.Writer) *progressbar.ProgressBar {
	if !on || total == 0 {
		return nil
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
}

// asWriter returns bar as an io.Writer, nil when bar is nil.
func asWriter(bar *progressbar.ProgressBar) io.Writer {
	if bar == nil {
		return nil
	}
	return bar
}

func finishBar(bar *progressbar.ProgressBar) {
	if bar != nil {
		_ = bar.Finish()
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
