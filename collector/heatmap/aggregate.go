package heatmap

import (
	"cmp"
	"slices"

	"github.com/cespare/xxhash/v2"
	"github.com/valyala/fastjson"
)

// DefaultK is the default least number of distinct daily visitors a cell
// needs to be written.
const DefaultK = 5

// Filter narrows what an Aggregator counts; an empty field matches
// everything.
type Filter struct {
	Path     string
	Viewport string
	Layer    Layer
}

func (f *Filter) match(path, viewport []byte, l Layer) bool {
	return (f.Path == "" || f.Path == string(path)) &&
		(f.Viewport == "" || f.Viewport == string(viewport)) &&
		(f.Layer == LayerUnknown || f.Layer == l)
}

// Key is what an aggregate row is about, besides its cell. Selector is ""
// except in the target layer.
type Key struct {
	Path, Viewport string
	Layer          Layer
	Selector       string
}

// Aggregate is one aggregate row: a cell's count over a day and its
// distinct daily visitors.
type Aggregate struct {
	Key
	X, Y     uint8
	Count    uint64
	Visitors int
}

// Stats says what an aggregation read and what it kept.
type Stats struct {
	Rows      int // raw rows read
	Invalid   int // rows skipped: not JSON, not type heatmap, bad viewport, layer, selector or cells
	Anonymous int // valid rows without visitor_id: excluded (see Aggregator)
	Skipped   int // valid rows outside the Filter
	Cells     int // distinct cells counted
	Kept      int // cells seen by at least k visitors
	Withheld  int // cells seen by fewer
}

// Aggregator sums a day of raw heatmap rows of one site per (path,
// viewport, layer, selector, cell), counting each cell's distinct visitors
// by visitor_id.
//
// Rows without a visitor_id (tier T1, or a server send without the
// visitor's headers) are excluded, counts and all: one page view sends
// several rows (a flush every few seconds and one at leave), so counting
// each as a visitor would let a single person pass k alone, and without
// a visitor key k-anonymity cannot be established.
//
// Memory grows with the distinct (cell, visitor) pairs of the day. It is
// not safe for concurrent use.
type Aggregator struct {
	k      int
	filter Filter
	parser fastjson.Parser
	groups map[string]int32 // path \x00 viewport \x00 layer \x00 selector → index in keys
	keys   []Key
	cells  map[cellKey]totals
	seen   map[visitKey]struct{}
	buf    []Cell
	keyBuf []byte
	stats  Stats
}

type cellKey struct {
	group int32
	x, y  uint8
}

type visitKey struct {
	cell    cellKey
	visitor uint64
}

type totals struct {
	count    uint64
	visitors int
}

// NewAggregator returns an Aggregator that keeps cells seen by at least k
// visitors (k < 1 means DefaultK) and counts only rows that match f.
func NewAggregator(k int, f Filter) *Aggregator {
	if k < 1 {
		k = DefaultK
	}
	return &Aggregator{k: k, filter: f, groups: map[string]int32{},
		cells: map[cellKey]totals{}, seen: map[visitKey]struct{}{}}
}

// Add counts one raw row (a JSON object, see row/SCHEMA.md). Rows that are
// not valid heatmap rows are counted in Stats.Invalid and skipped.
func (a *Aggregator) Add(line []byte) {
	a.stats.Rows++
	v, err := a.parser.ParseBytes(line)
	if err != nil || string(v.GetStringBytes("type")) != "heatmap" {
		a.stats.Invalid++
		return
	}
	e := Event{Path: v.GetStringBytes("path"), Viewport: v.GetStringBytes("viewport"),
		Layer: v.GetStringBytes("layer"), Selector: v.GetStringBytes("selector")}
	layer, err := e.checkFields()
	if err != nil {
		a.stats.Invalid++
		return
	}
	if !a.filter.match(e.Path, e.Viewport, layer) {
		a.stats.Skipped++
		return
	}
	if a.buf, err = AppendCells(a.buf[:0], layer, v.GetStringBytes("cells")); err != nil {
		a.stats.Invalid++
		return
	}
	visitor := v.GetStringBytes("visitor_id")
	if len(visitor) == 0 {
		a.stats.Anonymous++
		return
	}
	a.count(a.group(&e, layer), xxhash.Sum64(visitor))
}

func (a *Aggregator) count(group int32, visitor uint64) {
	for _, c := range a.buf {
		key := cellKey{group, c.X, c.Y}
		t := a.cells[key]
		t.count += uint64(c.Count)
		vk := visitKey{key, visitor}
		if _, ok := a.seen[vk]; !ok {
			a.seen[vk] = struct{}{}
			t.visitors++
		}
		a.cells[key] = t
	}
}

// group returns the index of e's key, adding it if new.
func (a *Aggregator) group(e *Event, l Layer) int32 {
	b := append(a.keyBuf[:0], e.Path...)
	b = append(append(b, 0), e.Viewport...)
	b = append(append(b, 0), byte(l))
	b = append(append(b, 0), e.Selector...)
	a.keyBuf = b
	if g, ok := a.groups[string(b)]; ok {
		return g
	}
	g := int32(len(a.keys))
	a.groups[string(b)] = g
	a.keys = append(a.keys, Key{Path: string(e.Path), Viewport: string(e.Viewport), Layer: l, Selector: string(e.Selector)})
	return g
}

// Result returns the cells seen by at least k distinct visitors, sorted by
// path, viewport, layer, selector, then row and column, and the stats.
func (a *Aggregator) Result() ([]Aggregate, Stats) {
	st := a.stats
	st.Cells = len(a.cells)
	var out []Aggregate
	for key, t := range a.cells {
		if t.visitors < a.k {
			st.Withheld++
			continue
		}
		out = append(out, Aggregate{Key: a.keys[key.group], X: key.x, Y: key.y, Count: t.count, Visitors: t.visitors})
	}
	st.Kept = len(out)
	slices.SortFunc(out, compareAggregates)
	return out, st
}

func compareAggregates(a, b Aggregate) int {
	return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Viewport, b.Viewport), cmp.Compare(a.Layer, b.Layer),
		cmp.Compare(a.Selector, b.Selector), cmp.Compare(a.Y, b.Y), cmp.Compare(a.X, b.X))
}
