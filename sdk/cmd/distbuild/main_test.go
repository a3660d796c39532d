package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

const (
	jsDir        = "../../js"
	loaderSource = jsDir + "/loader.js"
	distDir      = "../../dist"
)

// TestCommittedScriptsAreFresh: sdk/dist's scripts are what this command
// makes of sdk/js (`make check-dist` checks the module too).
func TestCommittedScriptsAreFresh(t *testing.T) {
	dir := t.TempDir()
	if err := build(jsDir, dir); err != nil {
		t.Fatal(err)
	}
	for _, sc := range scripts {
		fresh, err := os.ReadFile(filepath.Join(dir, sc.out))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join(distDir, sc.out))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("sdk/dist/%s differs from a fresh build of sdk/js/%s: run `make dist`", sc.out, sc.src)
		}
	}
}

func TestMinifyIsDeterministic(t *testing.T) {
	src, err := os.ReadFile(loaderSource)
	if err != nil {
		t.Fatal(err)
	}
	a, errA := minify(src, wasmPlaceholder)
	b, errB := minify(src, wasmPlaceholder)
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
		if _, err := minify([]byte(src), wasmPlaceholder); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBuildReportsAMissingSource(t *testing.T) {
	if err := build(t.TempDir(), t.TempDir()); err == nil {
		t.Error("no error for a missing source")
	}
}
