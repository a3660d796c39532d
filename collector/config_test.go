package collector

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigExample(t *testing.T) {
	cfg, err := LoadConfig("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:8080" || len(cfg.Sites) != 2 || cfg.Sites[0].Origins[1] != "https://www.example.com" ||
		cfg.Files.RollInterval != time.Minute || cfg.Limits.DecodedBytes != 524288 {
		t.Errorf("decoded %+v", cfg)
	}
}

func TestLoadConfigIsStrict(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "sites:\n  - id: a.com\n    origin: [https://a.com]\n", `unknown field "origin"`},
		{"unknown top-level key", "listen_addr: :80\n", `unknown field "listen_addr"`},
		{"repeated key", "listen: :80\nlisten: :81\n", `"listen" already defined`},
		{"wrong type", "files:\n  roll_interval: soon\n", `invalid duration "soon"`},
		{"not YAML", "sites: [\n", ""},
		{"code-only field", "logger: x\n", `unknown field "logger"`},
		{"bare tag (crashes go-yaml)", "sites:\n  - id: a.com\n    origins: !x\n", "the YAML decoder failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := LoadConfig("testdata/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	cfg, err := LoadConfig("testdata/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`listen: "localhost" is not an address; write host:port, like :8080 or 127.0.0.1:8080`,
		`sites[0].id: "Example.com" has upper-case letters; write it as example.com`,
		`sites[0].origins[0]: "example.com" is not an origin; write it as https://example.com`,
		`sites[0].origins[1]: "https://example.com/" has a path; write it as https://example.com`,
		`sites[1].origins: list the origins the site's pages are served from, like https://example.com`,
		`sites[2].id: "shop.example.com" is already used by sites[1]`,
		`sites[2].origins[0]: "https://*.example.com": wildcards are not supported; list each origin, like https://example.com`,
		`sites[2].origins[1]: "https://shop.example.com:443" names the default port, which browsers leave out; write it as https://shop.example.com`,
		`files.roll_interval: 500ms is too short; write at least 1s, or leave it out for the default`,
		`files.max_file_bytes: -1 is negative; leave it out for the default of 64 MiB`,
		`files.flush_interval: 2m0s is longer than the roll interval (500ms); files would roll before their rows are written`,
		`limits.decoded_bytes: 1000 is smaller than the body limit (100000); an uncompressed batch that fits the body limit would still be refused`,
	}
	err = cfg.Validate()
	var cerr *ConfigError
	if !errors.As(err, &cerr) {
		t.Fatalf("Validate() = %v, want a *ConfigError", err)
	}
	var got []string
	for _, p := range cerr.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\n\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(err.Error(), "invalid configuration:\n  listen: ") {
		t.Errorf("Error() = %q", err)
	}
}

func TestValidate(t *testing.T) {
	site := []SiteConfig{{ID: "example.com", Origins: []string{"https://example.com"}}}
	tests := []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"one site", Config{Sites: site}, ""},
		{"demo without sites", Config{Demo: true}, ""},
		{"demo site without origins", Config{Demo: true, Sites: []SiteConfig{{ID: "a.test"}}}, ""},
		{"no sites", Config{}, "sites: no site is configured"},
		{"listen port only", Config{Sites: site, Listen: ":0"}, ""},
		{"listen bad port", Config{Sites: site, Listen: ":http"}, "listen:"},
		{"listen port out of range", Config{Sites: site, Listen: ":70000"}, "listen:"},
		{"empty site id", Config{Sites: []SiteConfig{{Origins: []string{"https://a.com"}}}}, "sites[0].id: is empty"},
		{"repeated origin", Config{Sites: []SiteConfig{{ID: "a.com", Origins: []string{"https://a.com", "https://a.com"}}}},
			`sites[0].origins[1]: "https://a.com" is listed twice`},
		{"negative flush", Config{Sites: site, Files: FilesConfig{FlushInterval: -time.Second}}, "files.flush_interval: -1s is too short"},
		{"negative body limit", Config{Sites: site, Limits: LimitsConfig{BodyBytes: -1}}, "limits.body_bytes: -1 is negative"},
		{"flush longer than default roll", Config{Sites: site, Files: FilesConfig{FlushInterval: 2 * time.Minute}}, "files.flush_interval: 2m0s is longer"},
		{"demo roll is 5s", Config{Demo: true, Files: FilesConfig{FlushInterval: 10 * time.Second}}, "longer than the roll interval (5s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.Listen != ":8080" || c.DataDir != "./data" || c.PagesDir != "" || c.Files.RollInterval != time.Minute ||
		c.Files.FlushInterval != time.Second || c.Files.MaxFileBytes != 64<<20 || c.Limits.BodyBytes != 64<<10 ||
		c.Limits.DecodedBytes != 512<<10 {
		t.Errorf("defaults: %+v", c)
	}
	d := Config{Demo: true}.withDefaults()
	if d.PagesDir != DefaultPagesDir || d.Files.RollInterval != 5*time.Second {
		t.Errorf("demo defaults: %+v", d)
	}
}
