package collector

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const module = "github.com/crumbless/crumbless/"

// TestImportRules checks the layering the package docs state: no package
// below collector imports it, and the leaf packages import no other
// collector package.
func TestImportRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	leaves := map[string][]string{ // package: collector packages it may import
		"collector/site":           nil,
		"collector/identity":       nil,
		"collector/enrich":         nil,
		"collector/row":            nil,
		"collector/sink":           nil,
		"collector/dedupe":         nil,
		"collector/assets":         nil,
		"collector/sink/layout":    nil,
		"collector/sink/filesink":  {"collector/sink", "collector/sink/layout"},
		"collector/sink/kafkasink": {"collector/sink", "collector/row"},
		"collector/sink/s3sink":    {"collector/sink", "collector/sink/layout"},
		"collector/sink/sinktest":  {"collector/sink", "collector/spool", "collector/sink/spooled"},
		"collector/erasure":        nil,
		"collector/retention":      nil,
		"collector/spool":          nil,
		"collector/sink/spooled":   {"collector/sink", "collector/spool"},
		"collector/region":         nil,
		"collector/channel":        nil,
		"collector/clientip":       {"collector/site"},
		"collector/ratelimit":      nil,
		"collector/record":         {"collector/sink", "collector/sink/layout", "collector/sink/filesink"},
		"collector/heatmap":        {"collector/sink", "collector/sink/layout", "collector/sink/filesink"},
		"collector/ingest": {"collector/site", "collector/identity", "collector/enrich", "collector/row", "collector/sink",
			"collector/region", "collector/record", "collector/sink/filesink", "collector/channel", "collector/dedupe", "collector/spool",
			"collector/clientip", "collector/ratelimit", "collector/heatmap", "collector/sink/layout"},
		"collector/cmd/crumbless": {"*"},
	}
	for pkg, allowed := range leaves {
		for _, dep := range deps(t, pkg) {
			rel, ok := strings.CutPrefix(dep, module)
			if !ok || !strings.HasPrefix(rel, "collector") || rel == pkg {
				continue
			}
			if rel == "collector" && pkg != "collector/cmd/crumbless" {
				t.Errorf("%s imports collector", pkg)
			} else if rel != "collector" && !allowedDep(allowed, rel) {
				t.Errorf("%s imports %s", pkg, rel)
			}
		}
	}
}

func allowedDep(allowed []string, dep string) bool {
	for _, a := range allowed {
		if a == "*" || a == dep {
			return true
		}
	}
	return false
}

func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-deps", module+pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}
