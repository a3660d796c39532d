package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

const (
	loaderSource = "../../js/loader.js"
	distDir      = "../../dist"
)

// TestCommittedLoaderIsFresh: sdk/dist/crumbless.js is what this command
// makes of sdk/js/loader.js (`make check-dist` checks the module too).
func TestCommittedLoaderIsFresh(t *testing.T) {
	dir := t.TempDir()
	if err := build(loaderSource, dir); err != nil {
		t.Fatal(err)
	}
	fresh, err := os.ReadFile(filepath.Join(dir, "crumbless.js"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join(distDir, "crumbless.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Errorf("sdk/dist/crumbless.js differs from a fresh build of sdk/js/loader.js: run `make dist`")
	}
}

func TestMinifyIsDeterministic(t *testing.T) {
	src, err := os.ReadFile(loaderSource)
	if err != nil {
		t.Fatal(err)
	}
	a, errA := minify(src)
	b, errB := minify(src)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("two minifications differ (errors %v, %v)", errA, errB)
	}
	if bytes.Contains(a, []byte("Crumbless loader")) {
		t.Errorf("comments survived minification")
	}
}

func TestMinifyRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"syntax error":        "(function () {",
		"placeholder missing": "fetch('tracker.wasm')",
		"newer than ES2017":   "await fetch('__CRUMBLESS_WASM__')", // top-level await cannot be lowered
	} {
		if _, err := minify([]byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBuildReportsAMissingSource(t *testing.T) {
	if err := build(filepath.Join(t.TempDir(), "nope.js"), t.TempDir()); err == nil {
		t.Error("no error for a missing source")
	}
}
