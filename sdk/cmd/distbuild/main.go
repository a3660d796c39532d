// Command distbuild minifies the loader, sdk/js/loader.js, into
// crumbless.js in the dist directory:
//
//	go run ./sdk/cmd/distbuild [-src sdk/js/loader.js] [-out sdk/dist]
//
// The tracker module beside it is built by wasm/toolchain/build-tracker.sh;
// `make dist` runs both. The output is deterministic, so a fresh build can be
// compared with the committed bytes.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// placeholder is sdk.WASMPlaceholder; the sdk package replaces it with the
// tracker's hashed file name. (Not imported: sdk embeds dist/, which this
// command writes.)
const placeholder = "__CRUMBLESS_WASM__"

func main() {
	src := flag.String("src", "sdk/js/loader.js", "the loader's source")
	out := flag.String("out", "sdk/dist", "directory to write crumbless.js into")
	flag.Parse()
	if err := build(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "distbuild:", err)
		os.Exit(1)
	}
}

func build(src, outDir string) error {
	code, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("reading the loader: %w", err)
	}
	min, err := minify(code)
	if err != nil {
		return fmt.Errorf("minifying %s: %w", src, err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", outDir, err)
	}
	out := filepath.Join(outDir, "crumbless.js")
	if err := os.WriteFile(out, min, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}

// minify returns the loader minified for ES2017 browsers, without comments,
// and checks that it still names the module by the placeholder.
func minify(code []byte) ([]byte, error) {
	res := api.Transform(string(code), api.TransformOptions{
		Loader:            api.LoaderJS,
		Target:            api.ES2017,
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
	if !bytes.Contains(res.Code, []byte(placeholder)) {
		return nil, fmt.Errorf("the minified loader lost the %s placeholder", placeholder)
	}
	return res.Code, nil
}
