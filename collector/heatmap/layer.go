package heatmap

// Grid and input limits. The tracker keeps to them; Validate refuses what
// goes over.
const (
	// GridCols and GridRows divide the document for the click and move
	// layers.
	GridCols = 50
	GridRows = 100
	// ScrollBuckets is the number of scroll-reach buckets (tenths of the
	// document's height).
	ScrollBuckets = 10
	// TargetSteps divides an element's box in each direction (tenths).
	TargetSteps = 10
	// MaxCellsLen is the longest cells text of one event.
	MaxCellsLen = 64 << 10
	// MaxCount is the largest count of one cell in one event; the tracker
	// saturates at it.
	MaxCount = 65535
	// MaxSelectorLen is the longest element selector.
	MaxSelectorLen = 256
)

// Layer is what a heatmap event counts.
type Layer uint8

// The layers.
const (
	LayerUnknown Layer = iota
	LayerClick
	LayerMove
	LayerScroll
	LayerTarget
	LayerHover // movement in one element's box, like target for clicks
)

var layerNames = [...]string{"", "click", "move", "scroll", "target", "hover"}

// String returns the layer's name as sent and written: click, move,
// scroll, target, hover; "" for LayerUnknown.
func (l Layer) String() string {
	if int(l) < len(layerNames) {
		return layerNames[l]
	}
	return ""
}

// ParseLayer returns the layer named s, or LayerUnknown.
func ParseLayer(s []byte) Layer {
	for i := 1; i < len(layerNames); i++ {
		if string(s) == layerNames[i] {
			return Layer(i)
		}
	}
	return LayerUnknown
}

// Size returns the layer's columns and rows: 50×100 for click and move,
// 1×10 for scroll (a bucket is a row), 10×10 for target and hover; 0×0 for
// LayerUnknown.
func (l Layer) Size() (cols, rows int) {
	switch l {
	case LayerClick, LayerMove:
		return GridCols, GridRows
	case LayerScroll:
		return 1, ScrollBuckets
	case LayerTarget, LayerHover:
		return TargetSteps, TargetSteps
	}
	return 0, 0
}

// PerElement reports whether l counts in one element's box (target,
// hover): its rows name the element by a selector.
func (l Layer) PerElement() bool { return l == LayerTarget || l == LayerHover }

var viewports = [...]string{"xs", "sm", "md", "lg", "xl"}

// ValidViewport reports whether v is a viewport class: xs, sm, md, lg, xl.
func ValidViewport(v []byte) bool {
	for _, name := range viewports {
		if string(v) == name {
			return true
		}
	}
	return false
}
