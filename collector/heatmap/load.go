package heatmap

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/valyala/fastjson"
)

// MaxDays bounds a Query's range.
const MaxDays = 366

// Query selects what to draw: one page of a site, a layer, a viewport
// class (or all), over a range of days.
type Query struct {
	Dir, Site, Path string
	From, To        time.Time // days, UTC midnights; both included
	Layer           Layer     // click, move or scroll
	Viewport        string    // "" means every viewport class
	// K is the least number of distinct daily visitors of a cell; < 1
	// means DefaultK. It applies to days computed from raw rows, and to
	// aggregate rows (a written aggregate made with a smaller k cannot be
	// brought back below its own k).
	K int
}

// Plan is a checked Query and the files it will read: each day's
// aggregates when the day has been aggregated, else its raw rows.
type Plan struct {
	q    Query
	days []dayFiles
	// Bytes is the size of all the files, for a progress bar's total.
	Bytes int64
}

type dayFiles struct {
	day   time.Time
	raw   bool
	files []string
}

// LoadStats says where a Load's counts came from.
type LoadStats struct {
	Aggregated int // days read from aggregates
	Computed   int // days aggregated on the fly from raw rows
	Empty      int // days with neither
	Cells      int // cells added to the grid (per day)
}

// NewPlan checks q and lists the files to read.
func NewPlan(q Query) (*Plan, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	if q.K < 1 {
		q.K = DefaultK
	}
	p := &Plan{q: q}
	for day := q.From; !day.After(q.To); day = day.AddDate(0, 0, 1) {
		d, err := filesOfDay(q.Dir, q.Site, day)
		if err != nil {
			return nil, err
		}
		p.days = append(p.days, d)
		p.Bytes += sizeOf(d.files)
	}
	return p, nil
}

func (q *Query) check() error {
	switch {
	case q.Layer.PerElement():
		return fmt.Errorf("the %s layer is drawn per element, not on the page grid: read its aggregate rows", q.Layer)
	case q.Layer == LayerUnknown:
		return errors.New("no layer: click, move or scroll")
	case q.Path == "":
		return errors.New("no page path")
	case q.Viewport != "" && !ValidViewport([]byte(q.Viewport)):
		return fmt.Errorf("viewport %q is not xs, sm, md, lg or xl", q.Viewport)
	case q.To.Before(q.From):
		return fmt.Errorf("the range ends (%s) before it starts (%s)", q.To.Format(DateLayout), q.From.Format(DateLayout))
	case q.To.Sub(q.From) >= MaxDays*24*time.Hour:
		return fmt.Errorf("the range is longer than %d days", MaxDays)
	}
	return checkSite(q.Site)
}

func filesOfDay(dir, site string, day time.Time) (dayFiles, error) {
	d := dayFiles{day: day}
	var err error
	if isDir(AggregateDayDir(dir, site, day)) {
		d.files, err = aggregateFiles(dir, site, day)
	} else {
		d.raw = true
		d.files, err = rawFiles(dir, site, day)
	}
	return d, err
}

// Load reads the planned files into a grid of the query's layer, writing
// every compressed byte read to progress when it is not nil.
func (p *Plan) Load(progress io.Writer) (*Grid, LoadStats, error) {
	g := NewGrid(p.q.Layer)
	var st LoadStats
	f := Filter{Path: p.q.Path, Viewport: p.q.Viewport, Layer: p.q.Layer}
	for _, d := range p.days {
		rows, err := p.loadDay(d, f, progress, &st)
		if err != nil {
			return nil, st, fmt.Errorf("loading heatmap of %s for %s: %w", p.q.Site, d.day.Format(DateLayout), err)
		}
		for _, r := range rows {
			g.Add(int(r.X), int(r.Y), r.Count)
		}
		st.Cells += len(rows)
	}
	return g, st, nil
}

func (p *Plan) loadDay(d dayFiles, f Filter, progress io.Writer, st *LoadStats) ([]Aggregate, error) {
	switch {
	case !d.raw:
		st.Aggregated++
		return readAggregates(d.files, f, p.q.K, progress)
	case len(d.files) > 0:
		st.Computed++
		rows, _, err := aggregateFilesOf(d.files, p.q.K, f, progress)
		return rows, err
	}
	st.Empty++
	return nil, nil
}

// readAggregates reads the aggregate rows that match f and have at least k
// visitors.
func readAggregates(files []string, f Filter, k int, progress io.Writer) ([]Aggregate, error) {
	r, err := newLineReader(progress)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var parser fastjson.Parser
	var out []Aggregate
	for _, file := range files {
		err := r.each(file, func(line []byte) {
			v, err := parser.ParseBytes(line)
			if err != nil {
				return
			}
			a, ok := parseAggregate(v)
			if ok && a.Visitors >= k && f.match([]byte(a.Path), []byte(a.Viewport), a.Layer) {
				out = append(out, a)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Grid holds the summed counts of one layer's cells.
type Grid struct {
	Layer      Layer
	Cols, Rows int
	Counts     []uint64 // row-major: Counts[y*Cols+x]
}

// NewGrid returns an empty grid of l's Size.
func NewGrid(l Layer) *Grid {
	cols, rows := l.Size()
	return &Grid{Layer: l, Cols: cols, Rows: rows, Counts: make([]uint64, cols*rows)}
}

// Add adds n to the cell at x, y; positions outside the grid are ignored.
func (g *Grid) Add(x, y int, n uint64) {
	if x >= 0 && x < g.Cols && y >= 0 && y < g.Rows {
		g.Counts[y*g.Cols+x] += n
	}
}

// At returns the count of the cell at x, y.
func (g *Grid) At(x, y int) uint64 { return g.Counts[y*g.Cols+x] }

// Max returns the largest count.
func (g *Grid) Max() uint64 {
	var m uint64
	for _, c := range g.Counts {
		m = max(m, c)
	}
	return m
}
