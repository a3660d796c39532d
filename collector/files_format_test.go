package collector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crumbless/crumbless/collector/sink/filesink"
)

func TestFilesFormatConfig(t *testing.T) {
	for _, format := range []string{"", "ndjson", "parquet", "both"} {
		path := filepath.Join(t.TempDir(), "c.yaml")
		yaml := "sites:\n  - id: a.com\n    origins: [https://a.com]\nfiles:\n  format: " + format + "\n"
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if err != nil {
			t.Fatalf("format %q: %v", format, err)
		}
		s := &Server{cfg: cfg}
		if got := s.fileSinkConfig().Format; got != filesink.Format(format) {
			t.Errorf("format %q reaches the file sink as %q", format, got)
		}
	}
	cfg := Config{Sites: []SiteConfig{{ID: "a.com", Origins: []string{"https://a.com"}}}, Files: FilesConfig{Format: "csv"}}
	err := cfg.Validate()
	want := `files.format: "csv" is not a file format: use ndjson (the default), parquet or both`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Validate() = %v, want %q", err, want)
	}
}
