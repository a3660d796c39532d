package mouse

// Config holds the frustration thresholds. Its zero value means the
// defaults; a field of 0 or less takes its default, and the counts are
// clamped to the range they are documented with.
type Config struct {
	// RageClicks clicks (3 to 8, default 3) within RageMillis (default
	// 700) of each other, each within RageRadius CSS px (default 30) of the
	// burst's first click, are a rage click. Fewer than 3 is never allowed,
	// so that a double-click is never a rage click.
	RageClicks, RageMillis, RageRadius int32

	// DeadMillis (default 1000): a click followed by no activity (DOM
	// mutation, navigation, selection change, scroll) within it is dead.
	// DeadPlain also counts clicks the caller marks as on a non-interactive
	// element (plain text, an empty area); by default they are not dead
	// clicks, since people click text while reading.
	DeadMillis int32
	DeadPlain  bool

	// QuickBackMillis (default 5000): a page left and returned to within it
	// is a quick back.
	QuickBackMillis int32

	// ErrorMillis (default 1000): a JavaScript error within it after a click
	// makes the click an error click.
	ErrorMillis int32

	// ScrollFlips scroll direction changes (2 to 8, default 4) within
	// ScrollMillis (default 3000) are excessive scrolling. A change counts
	// when the scroll goes back at least ScrollMinPx (default 50) from its
	// furthest point in the previous direction.
	ScrollFlips, ScrollMillis, ScrollMinPx int32
}

// The defaults of Config.
const (
	DefaultRageClicks      = 3
	DefaultRageMillis      = 700
	DefaultRageRadius      = 30
	DefaultDeadMillis      = 1000
	DefaultQuickBackMillis = 5000
	DefaultErrorMillis     = 1000
	DefaultScrollFlips     = 4
	DefaultScrollMillis    = 3000
	DefaultScrollMinPx     = 50

	maxRun = 8 // the most clicks or flips a threshold may ask for
)

// withDefaults returns c with its zero fields set to the defaults.
func (c Config) withDefaults() Config {
	c.RageClicks = min(max(or(c.RageClicks, DefaultRageClicks), 3), maxRun)
	c.RageMillis = or(c.RageMillis, DefaultRageMillis)
	c.RageRadius = or(c.RageRadius, DefaultRageRadius)
	c.DeadMillis = or(c.DeadMillis, DefaultDeadMillis)
	c.QuickBackMillis = or(c.QuickBackMillis, DefaultQuickBackMillis)
	c.ErrorMillis = or(c.ErrorMillis, DefaultErrorMillis)
	c.ScrollFlips = min(max(or(c.ScrollFlips, DefaultScrollFlips), 2), maxRun)
	c.ScrollMillis = or(c.ScrollMillis, DefaultScrollMillis)
	c.ScrollMinPx = or(c.ScrollMinPx, DefaultScrollMinPx)
	return c
}

func or(v, def int32) int32 {
	if v <= 0 {
		return def
	}
	return v
}
