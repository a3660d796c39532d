package filesink

import (
	"io/fs"
	"log/slog"
	"path/filepath"
)

// maxLeftoverWarnings bounds the warnings about leftover files, so a disk
// full of them does not flood the log.
const maxLeftoverWarnings = 10

// warnLeftovers logs the temporary files a crashed collector left under
// root, for a sink that is not fed from the spool (consent records). A
// spooled sink removes them instead: their batches are replayed.
func warnLeftovers(log *slog.Logger, root string) {
	n := 0
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isTmpName(d.Name()) {
			return nil
		}
		if n++; n <= maxLeftoverWarnings {
			log.Warn("found a temporary file left by an earlier run; its rows are not recovered", "file", path)
		}
		return nil
	})
	if n > maxLeftoverWarnings {
		log.Warn("more temporary files left by an earlier run", "count", n-maxLeftoverWarnings)
	}
}
