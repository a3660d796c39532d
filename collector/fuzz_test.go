package collector

import (
	"os"
	"testing"
)

// FuzzParseConfig feeds arbitrary files to the configuration reader and
// validator: they may refuse, never panic.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"testdata/example.yaml", "testdata/bad.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("sites:\n  - id: a\n    origins: [http://[::1]:80]\n"))
	f.Add([]byte("files: {roll_interval: -5s}\nlimits: {body_bytes: 9999999999999999999}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig(data)
		if err != nil {
			return
		}
		_ = cfg.Validate()
	})
}
