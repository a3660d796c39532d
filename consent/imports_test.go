package consent

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTrackerSafe checks what the tracker build can afford: only a few
// standard packages, no maps, no goroutines.
func TestTrackerSafe(t *testing.T) {
	allowed := map[string]bool{"strconv": true, "unicode/utf8": true, "hash/fnv": true, "errors": true,
		"github.com/crumbless/crumbless/internal/buf": true}
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); !allowed[p] {
				t.Errorf("%s imports %s", name, p)
			}
		}
		for _, bad := range []string{"map[", "go func", "make(chan"} {
			if strings.Contains(string(src), bad) {
				t.Errorf("%s uses %q", name, bad)
			}
		}
	}
}
