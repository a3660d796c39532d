package sdk

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestAssetsHashesTheTrackerName(t *testing.T) {
	fsys := fstest.MapFS{
		"dist/tracker.wasm": {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"dist/crumbless.js": {Data: []byte(`load("` + WASMPlaceholder + `")`)},
		"dist/banner.js":    {Data: []byte(`ask()`)},
	}
	assets, err := assetsFrom(fsys)
	if err != nil {
		t.Fatal(err)
	}
	js, wasm := assets[0], assets[1]
	if !strings.HasPrefix(wasm.Name, "tracker.") || !strings.HasSuffix(wasm.Name, ".wasm") || len(wasm.Name) != len("tracker.")+12+len(".wasm") {
		t.Errorf("wasm name %q is not tracker.<12 hex>.wasm", wasm.Name)
	}
	if !wasm.Immutable || js.Immutable {
		t.Errorf("immutability: wasm %v, js %v", wasm.Immutable, js.Immutable)
	}
	if !bytes.Contains(js.Body, []byte(wasm.Name)) || bytes.Contains(js.Body, []byte(WASMPlaceholder)) {
		t.Errorf("loader does not name the hashed module: %s", js.Body)
	}
	if wasm.ContentType != "application/wasm" {
		t.Errorf("wasm content type %q", wasm.ContentType)
	}
}

func TestAssetsNotBuilt(t *testing.T) {
	if _, err := assetsFrom(fstest.MapFS{"dist/README.md": {}}); !errors.Is(err, ErrNotBuilt) {
		t.Errorf("err = %v, want ErrNotBuilt", err)
	}
}

func TestShippedAssets(t *testing.T) {
	assets, err := Assets()
	if err != nil {
		t.Fatalf("the committed dist/ is not servable: %v", err)
	}
	if len(assets) != 3 || assets[2].Name != BannerName {
		t.Fatalf("got %d assets", len(assets))
	}
}
