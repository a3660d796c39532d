// Package sdk holds what a web developer touches: the script tag's loader and
// the tracker module, and the optional scripts beside them (the consent
// banner; the mouse add-on and its module), built into dist/ and embedded
// here so the collector serves them and `go install` works without TinyGo.
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
	// Addon is "" for the tag itself (the loader and the tracker), else the
	// optional script the asset belongs to: "banner" or "mouse". Add-ons
	// are loaded separately and have budgets of their own.
	Addon string
}

// BannerName is the optional consent banner's file name: a separate script
// a site adds with its own tag, never part of the tracker.
const BannerName = "banner.js"

// MouseName is the mouse add-on's file name (heatmaps, frustration signals,
// bot score): the loader loads it from its own directory when the tag has
// data-mouse. MouseWASMPlaceholder stands in it for its module's
// content-hashed name, which Assets puts in.
const (
	MouseName            = "mouse.js"
	MouseWASMPlaceholder = "__CRUMBLESS_MOUSE_WASM__"
)

// ErrNotBuilt means dist/ holds no tracker: run `make dist`.
var ErrNotBuilt = errors.New("tracker not built: run `make dist` (needs TinyGo; the Makefile installs it)")

// Assets returns the loader, as crumbless.js, the tracker module under a
// content-hashed name that the loader refers to, the consent banner, and
// the mouse add-on with its module (also content-hashed).
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
	loader, wasmName, err := nameModule(loader, "crumbless.js", WASMPlaceholder, "tracker.", wasm)
	if err != nil {
		return nil, err
	}
	banner, err := fs.ReadFile(fsys, "dist/"+BannerName)
	if err != nil {
		return nil, ErrNotBuilt
	}
	mouse, err1 := fs.ReadFile(fsys, "dist/"+MouseName)
	mouseWASM, err2 := fs.ReadFile(fsys, "dist/mouse.wasm")
	if err1 != nil || err2 != nil {
		return nil, ErrNotBuilt
	}
	mouse, mouseWASMName, err := nameModule(mouse, MouseName, MouseWASMPlaceholder, "mouse.", mouseWASM)
	if err != nil {
		return nil, err
	}
	const js = "text/javascript; charset=utf-8"
	return []Asset{
		{Name: "crumbless.js", ContentType: js, Body: loader},
		{Name: wasmName, ContentType: "application/wasm", Body: wasm, Immutable: true},
		{Name: BannerName, ContentType: js, Body: banner, Addon: "banner"},
		{Name: MouseName, ContentType: js, Body: mouse, Addon: "mouse"},
		{Name: mouseWASMName, ContentType: "application/wasm", Body: mouseWASM, Immutable: true, Addon: "mouse"},
	}, nil
}

// nameModule gives the module wasm a content-hashed name (prefix, 12 hex
// digits, .wasm) and puts it in place of placeholder in the script.
func nameModule(script []byte, scriptName, placeholder, prefix string, wasm []byte) ([]byte, string, error) {
	sum := sha256.Sum256(wasm)
	name := prefix + hex.EncodeToString(sum[:6]) + ".wasm"
	if !bytes.Contains(script, []byte(placeholder)) {
		return nil, "", fmt.Errorf("reading dist/%s: no %s placeholder: rebuild with `make dist`", scriptName, placeholder)
	}
	return bytes.ReplaceAll(script, []byte(placeholder), []byte(name)), name, nil
}
