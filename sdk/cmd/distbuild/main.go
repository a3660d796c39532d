// Command distbuild minifies the scripts of sdk/js into the dist directory:
// the loader (loader.js → crumbless.js), the optional consent banner
// (banner.js → banner.js, a separate script never bundled with the tracker)
// and the optional mouse add-on (mouse.js → mouse.js, which the loader
// loads when the tag has data-mouse):
//
//	go run ./sdk/cmd/distbuild [-src sdk/js] [-out sdk/dist]
//
// The modules beside them are built by wasm/toolchain/build-tracker.sh and
// build-mouse.sh; `make dist` runs all three. The output is deterministic, so a fresh build can be
// compared with the committed bytes.
package main

import (
	"encoding/json"

	"bytes"
	"errors"
	"flag"
	"fmt"
	"github.com/crumbless/crumbless/wasm/core"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// wasmPlaceholder is sdk.WASMPlaceholder and mousePlaceholder
// sdk.MouseWASMPlaceholder; the sdk package replaces them with the
// modules' hashed file names. (Not imported: sdk embeds dist/, which this
// command writes.)
const (
	wasmPlaceholder  = "__CRUMBLESS_WASM__"
	mousePlaceholder = "__CRUMBLESS_MOUSE_WASM__"
)

// script is one source of sdk/js and the name it is served under.
type script struct {
	src, out string
	// placeholder: the module the script must name by placeholder, if any.
	placeholder string
}

var scripts = []script{
	{src: "loader.js", out: "crumbless.js", placeholder: wasmPlaceholder},
	{src: "banner.js", out: "banner.js"},
	{src: "mouse.js", out: "mouse.js", placeholder: mousePlaceholder},
}

func main() {
	src := flag.String("src", "sdk/js", "directory of the scripts' sources")
	out := flag.String("out", "sdk/dist", "directory to write the minified scripts into")
	flag.Parse()
	if err := build(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "distbuild:", err)
		os.Exit(1)
	}
}

func build(srcDir, outDir string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", outDir, err)
	}
	for _, sc := range scripts {
		if err := sc.build(srcDir, outDir); err != nil {
			return err
		}
	}
	return nil
}

func (sc script) build(srcDir, outDir string) error {
	src := filepath.Join(srcDir, sc.src)
	code, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("reading %s: %w", src, err)
	}
	min, err := minify(code, sc.placeholder)
	if err != nil {
		return fmt.Errorf("minifying %s: %w", src, err)
	}
	out := filepath.Join(outDir, sc.out)
	if err := os.WriteFile(out, min, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}

// minify returns code minified for ES2020 browsers, without comments, with
// the module's batch keys (core.OutKeys) in place of __CRUMBLESS_KEYS__,
// and checks, when asked, that it still names its module by placeholder.
func minify(code []byte, placeholder string) ([]byte, error) {
	keys, err := json.Marshal(strings.Join(core.OutKeys(), ","))
	if err != nil {
		return nil, err
	}
	res := api.Transform(string(code), api.TransformOptions{
		Define:            map[string]string{"__CRUMBLESS_KEYS__": string(keys)},
		Loader:            api.LoaderJS,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		LegalComments:     api.LegalCommentsNone,
		Charset:           api.CharsetASCII,
	})
	if len(res.Errors) > 0 {
		msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, errors.New(strings.Join(msgs, ""))
	}
	if placeholder != "" && !bytes.Contains(res.Code, []byte(placeholder)) {
		return nil, fmt.Errorf("the minified script lost the %s placeholder", placeholder)
	}
	return res.Code, nil
}
