package s3sink

import (
	"fmt"
	"path"
	"time"

	"github.com/crumbless/crumbless/collector/sink"
	"github.com/crumbless/crumbless/collector/sink/layout"
)

const fileExt = ".ndjson.zst"

// partitionKey returns PREFIX/<kind>/site=SITE/date=YYYY-MM-DD/hour=HH.
func partitionKey(prefix string, kind sink.Kind, site string, hour int64) string {
	return path.Join(prefix, kind.String(), layout.Path(site, hour, false))
}

// objectName returns part-<yyyymmddThhmmss>-<node>-<digest>-p<lo>-<hi>.ndjson.zst,
// without the positions when lo is 0 (records that did not come from the
// spool). first is the group's earliest receive time; digest identifies the
// rows, so that two groups of records without positions never share a name.
func objectName(first time.Time, node string, digest uint64, lo, hi uint64) string {
	name := fmt.Sprintf("part-%s-%s-%016x", first.UTC().Format("20060102T150405"), node, digest)
	if lo > 0 {
		name += fmt.Sprintf("-p%d-%d", lo, hi)
	}
	return name + fileExt
}
