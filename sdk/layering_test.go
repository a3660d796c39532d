package sdk

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/crumbless/crumbless"

// deps lists the packages that pkgs import, directly or not, in this module
// or outside the standard library.
func deps(t *testing.T, pkgs ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-deps", "-f", `{{.ImportPath}} {{if .Standard}}std{{end}} {{join .Deps ","}}`}, pkgs...)
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(line, " ", 3)
		if f[1] == "std" {
			continue
		}
		var nonStd []string
		for _, d := range strings.Split(f[2], ",") {
			if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
				nonStd = append(nonStd, d)
			}
		}
		m[f[0]] = nonStd
	}
	return m
}

// TestPageSideImports enforces DESIGN.md's import rules: what is compiled
// into the tracker (consent, sdk/wire, wasm/...) imports no collector code
// and no server library; its only outside dependency is the host-only JSON
// parser of sdk/wire.
func TestPageSideImports(t *testing.T) {
	allowed := map[string]bool{
		module + "/consent":                     true,
		module + "/sdk/wire":                    true,
		module + "/wasm/core":                   true,
		module + "/consent/internal/bitstr":     true, // the TC and GPP string decoders' bit reader
		module + "/internal/buf":                true, // heap-free appends
		module + "/sdk/scrub":                   true, // personal data scrubbed at both ends
		"github.com/valyala/fastjson":           true, // sdk/wire's parse.go, built only for the host (!tinygo)
		"github.com/valyala/fastjson/fastfloat": true,
	}
	for pkg, ds := range deps(t, "./../consent/...", "./wire/...", "./../wasm/core/...") {
		if strings.HasPrefix(pkg, module+"/consent/consenttest") {
			continue // test support, never compiled into the tracker
		}
		for _, d := range ds {
			if !allowed[d] {
				t.Errorf("%s imports %s: the page side may import only consent, sdk/wire, sdk/scrub, internal/buf and the standard library", pkg, d)
			}
		}
	}
}
