package filesink

import "github.com/crumbless/crumbless/collector/sink/layout"

// SafeSite reports whether site is a site id the sink writes: one that can
// be a directory name (layout.SafeSite). Readers of the files check the
// names they are given with it before building a path from them.
func SafeSite(site string) bool { return layout.SafeSite([]byte(site)) }
