package main

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/crumbless/crumbless/wasm/core"
)

// shippedModule is the module the collector serves; `make check-dist` keeps
// it equal to a fresh build of this package.
const shippedModule = "../../../sdk/dist/tracker.wasm"

// abiDoc is the contract the module must match.
const abiDoc = "../../ABI.md"

// docEntry is one row of ABI.md's Exports or Imports table.
type docEntry struct {
	module, name string
	signature    string // "memory", or "(i32,f64)->(i32)" with the parameter names dropped
}

// readABIDoc returns the version in ABI.md's heading and the rows of its
// Exports and Imports tables.
func readABIDoc(t *testing.T) (version int, exports, imports []docEntry) {
	t.Helper()
	doc, err := os.ReadFile(abiDoc)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^# Tracker ABI — version (\d+)$`).FindSubmatch(doc)
	if m == nil {
		t.Fatal("ABI.md: no heading '# Tracker ABI — version N'")
	}
	version, _ = strconv.Atoi(string(m[1]))
	section := ""
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "## ") {
			section = strings.TrimPrefix(line, "## ")
			continue
		}
		cells := tableRow(line)
		switch {
		case cells == nil:
		case section == "Exports" && len(cells) == 3:
			exports = append(exports, docEntry{name: cells[0], signature: normalizeSignature(t, cells[1])})
		case section == "Imports" && len(cells) == 4:
			imports = append(imports, docEntry{module: cells[0], name: cells[1], signature: normalizeSignature(t, cells[2])})
		}
	}
	if len(exports) == 0 || len(imports) == 0 {
		t.Fatalf("ABI.md: found %d exports and %d imports; are the tables still there?", len(exports), len(imports))
	}
	return version, exports, imports
}

// tableRow returns the cells of a Markdown table row whose first cell is
// code (`name`), without their backquotes, or nil for any other line.
func tableRow(line string) []string {
	if !strings.HasPrefix(line, "| `") {
		return nil
	}
	cells := strings.Split(strings.Trim(line, "|"), "|")
	for i, c := range cells {
		cells[i] = strings.Trim(strings.TrimSpace(c), "`")
	}
	return cells
}

var signatureRE = regexp.MustCompile(`^\((.*)\) -> (\(\)|i32|i64|f32|f64)$`)

// normalizeSignature turns "(len: i32, now: f64) -> i32" into "(i32,f64)->(i32)".
func normalizeSignature(t *testing.T, s string) string {
	if s == "memory" {
		return s
	}
	m := signatureRE.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("ABI.md: cannot read the signature %q", s)
	}
	var params []string
	for _, p := range strings.Split(m[1], ",") {
		if p = strings.TrimSpace(p); p != "" {
			_, typ, _ := strings.Cut(p, ":")
			params = append(params, strings.TrimSpace(typ))
		}
	}
	result := strings.Trim(m[2], "()")
	return "(" + strings.Join(params, ",") + ")->(" + result + ")"
}

func signatureOf(f api.FunctionDefinition) string {
	names := func(ts []api.ValueType) string {
		var s []string
		for _, v := range ts {
			s = append(s, api.ValueTypeName(v))
		}
		return strings.Join(s, ",")
	}
	return "(" + names(f.ParamTypes()) + ")->(" + names(f.ResultTypes()) + ")"
}

func TestABIVersionMatchesTheDoc(t *testing.T) {
	version, _, _ := readABIDoc(t)
	if version != core.ABIVersion {
		t.Errorf("ABI.md is version %d, core.ABIVersion is %d", version, core.ABIVersion)
	}
}

// TestImportsAndExportsMatchTheDoc checks the shipped module against
// ABI.md's tables: TinyGo turns a missing symbol into an import, and its
// runtime exports helpers, so the lists are checked exactly.
func TestImportsAndExportsMatchTheDoc(t *testing.T) {
	_, wantExports, wantImports := readABIDoc(t)
	bin, err := os.ReadFile(shippedModule)
	if err != nil {
		t.Fatalf("reading the shipped module: %v", err)
	}
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatalf("compiling %s: %v", shippedModule, err)
	}

	var gotImports []docEntry
	for _, f := range cm.ImportedFunctions() {
		module, name, _ := f.Import()
		gotImports = append(gotImports, docEntry{module: module, name: name, signature: signatureOf(f)})
	}
	var gotExports []docEntry
	for name, f := range cm.ExportedFunctions() {
		gotExports = append(gotExports, docEntry{name: name, signature: signatureOf(f)})
	}
	for name := range cm.ExportedMemories() {
		gotExports = append(gotExports, docEntry{name: name, signature: "memory"})
	}
	sortEntries := func(e []docEntry) {
		slices.SortFunc(e, func(a, b docEntry) int { return strings.Compare(a.module+"."+a.name, b.module+"."+b.name) })
	}
	for _, e := range [][]docEntry{wantImports, gotImports, wantExports, gotExports} {
		sortEntries(e)
	}
	if !slices.Equal(gotImports, wantImports) {
		t.Errorf("function imports:\n got %v\nwant %v", gotImports, wantImports)
	}
	if !slices.Equal(gotExports, wantExports) {
		t.Errorf("function and memory exports:\n got %v\nwant %v", gotExports, wantExports)
	}

	// wazero lists only functions and memories; count every kind.
	imports, exports := countImportsExports(t, bin)
	if imports != len(wantImports) || exports != len(wantExports) {
		t.Errorf("the module has %d imports and %d exports of all kinds; ABI.md lists %d and %d",
			imports, exports, len(wantImports), len(wantExports))
	}
}

// countImportsExports reads the counts of the import and export sections.
func countImportsExports(t *testing.T, bin []byte) (imports, exports int) {
	t.Helper()
	uleb := func(b []byte) (v, n int) {
		for shift := 0; n < len(b) && n < 5; shift += 7 {
			c := b[n]
			n++
			v |= int(c&0x7f) << shift
			if c < 0x80 {
				return v, n
			}
		}
		t.Fatal("malformed LEB128 in the module")
		return 0, 0
	}
	for b := bin[8:]; len(b) > 0; {
		id := b[0]
		size, n := uleb(b[1:])
		body := b[1+n : 1+n+size]
		switch id {
		case 2:
			imports, _ = uleb(body)
		case 7:
			exports, _ = uleb(body)
		}
		b = b[1+n+size:]
	}
	return imports, exports
}
