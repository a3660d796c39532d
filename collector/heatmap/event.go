package heatmap

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Event is the heatmap part of an event of kind "heatmap": what ingest
// checks before writing a raw row. It mirrors the wire fields (path,
// viewport, layer, selector, cells), so that wiring it to wire.Event is a
// copy of five slices.
type Event struct {
	Path, Viewport, Layer, Selector, Cells []byte
}

// Validate checks e: a path, a viewport class, a known layer, a selector
// with the target layer only (at most MaxSelectorLen bytes of UTF-8
// without control characters) and valid cells. It returns the number of
// cells, and allocates only for an error.
func (e *Event) Validate() (int, error) {
	layer, err := e.checkFields()
	if err != nil {
		return 0, err
	}
	n, err := Validate(layer, e.Cells)
	if err != nil {
		return 0, fmt.Errorf("heatmap event, layer %s: %w", layer, err)
	}
	return n, nil
}

// checkFields checks everything but the cells and returns the layer.
func (e *Event) checkFields() (Layer, error) {
	layer := ParseLayer(e.Layer)
	switch {
	case len(e.Path) == 0:
		return 0, errors.New("heatmap event without a path")
	case !ValidViewport(e.Viewport):
		return 0, fmt.Errorf("heatmap event: viewport %q is not xs, sm, md, lg or xl", e.Viewport)
	case layer == LayerUnknown:
		return 0, fmt.Errorf("heatmap event: layer %q is not click, move, scroll, target or hover", e.Layer)
	}
	if err := checkSelector(layer, e.Selector); err != nil {
		return 0, fmt.Errorf("heatmap event: %w", err)
	}
	return layer, nil
}

func checkSelector(l Layer, sel []byte) error {
	switch {
	case l.PerElement() && len(sel) == 0:
		return fmt.Errorf("the %s layer needs a selector", l)
	case !l.PerElement() && len(sel) > 0:
		return fmt.Errorf("the %s layer has no selector", l)
	case len(sel) > MaxSelectorLen:
		return fmt.Errorf("selector longer than %d bytes", MaxSelectorLen)
	case !utf8.Valid(sel):
		return errors.New("selector is not UTF-8")
	case !ValidSelector(sel):
		return errors.New("selector has a control character")
	}
	return nil
}

// ValidSelector reports whether sel can name an element: at most
// MaxSelectorLen bytes of UTF-8 without control characters (empty is
// valid: no element). It allocates nothing.
func ValidSelector(sel []byte) bool {
	if len(sel) > MaxSelectorLen || !utf8.Valid(sel) {
		return false
	}
	for _, c := range sel {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
