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
		"dist/mouse.js":     {Data: []byte(`load("` + MouseWASMPlaceholder + `")`)},
		"dist/mouse.wasm":   {Data: []byte("\x00asm\x01\x00\x00\x00mouse")},
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
	mouse, mouseWASM := assets[3], assets[4]
	if mouse.Name != MouseName || !strings.HasPrefix(mouseWASM.Name, "mouse.") || !mouseWASM.Immutable ||
		!bytes.Contains(mouse.Body, []byte(mouseWASM.Name)) || mouse.Addon != "mouse" || mouseWASM.Addon != "mouse" {
		t.Errorf("mouse add-on: %s %q, module %s", mouse.Name, mouse.Body, mouseWASM.Name)
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
	if len(assets) != 5 || assets[2].Name != BannerName || assets[3].Name != MouseName {
		t.Fatalf("got %d assets", len(assets))
	}
}
