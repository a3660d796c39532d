// Package sdk holds what a web developer touches: the script tag's loader and
// the tracker module, built into dist/ and embedded here so the collector
// serves them and `go install` works without TinyGo.
//
// It must not import anything under collector/ or any server library.
package sdk

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// WASMPlaceholder is the string literal in the loader that stands for the
// tracker's content-hashed file name; Assets replaces it.
const WASMPlaceholder = "__CRUMBLESS_WASM__"

// Asset is one file the collector serves.
type Asset struct {
	Name        string // URL path below the collector's root, e.g. "crumbless.js"
	ContentType string
	Body        []byte
	// Immutable assets have a content-hashed name and may be cached for a year;
	// the others must be revalidated (short cache, ETag).
	Immutable bool
}

// BannerName is the optional consent banner's file name: a separate script
// a site adds with its own tag, never part of the tracker.
const BannerName = "banner.js"

// ErrNotBuilt means dist/ holds no tracker: run `make dist`.
var ErrNotBuilt = errors.New("tracker not built: run `make dist` (needs TinyGo; the Makefile installs it)")

// Assets returns the loader, as crumbless.js, the tracker module under a
// content-hashed name that the loader refers to, and the consent banner.
func Assets() ([]Asset, error) { return assetsFrom(dist) }

func assetsFrom(fsys fs.FS) ([]Asset, error) {
	wasm, err := fs.ReadFile(fsys, "dist/tracker.wasm")
	if err != nil {
		return nil, ErrNotBuilt
	}
	loader, err := fs.ReadFile(fsys, "dist/crumbless.js")
	if err != nil {
		return nil, ErrNotBuilt
	}
	sum := sha256.Sum256(wasm)
	wasmName := "tracker." + hex.EncodeToString(sum[:6]) + ".wasm"
	if !bytes.Contains(loader, []byte(WASMPlaceholder)) {
		return nil, fmt.Errorf("reading dist/crumbless.js: no %s placeholder: rebuild with `make dist`", WASMPlaceholder)
	}
	loader = bytes.ReplaceAll(loader, []byte(WASMPlaceholder), []byte(wasmName))
	banner, err := fs.ReadFile(fsys, "dist/"+BannerName)
	if err != nil {
		return nil, ErrNotBuilt
	}
	return []Asset{
		{Name: "crumbless.js", ContentType: "text/javascript; charset=utf-8", Body: loader},
		{Name: wasmName, ContentType: "application/wasm", Body: wasm, Immutable: true},
		{Name: BannerName, ContentType: "text/javascript; charset=utf-8", Body: banner},
	}, nil
}
