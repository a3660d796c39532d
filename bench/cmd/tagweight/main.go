// Command tagweight prints what the script tag costs a visitor: the loader
// and the tracker module as served (from the embedded sdk/dist), raw, gzip -9
// and brotli -q 11, and their sum, as a Markdown table; then the optional
// consent banner on its own.
package main

import (
	"fmt"
	"os"

	"github.com/crumbless/crumbless/bench/internal/weight"
	"github.com/crumbless/crumbless/sdk"
)

func main() {
	assets, err := sdk.Assets()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tagweight:", err)
		os.Exit(1)
	}
	var total weight.Sizes
	fmt.Println("| file | raw | gzip -9 | brotli -q 11 |")
	fmt.Println("|---|---:|---:|---:|")
	var banner weight.Sizes
	for _, a := range assets {
		s := weight.Measure(a.Body)
		if a.Name == sdk.BannerName {
			banner = s // a separate, optional script: not part of the tag
			continue
		}
		total = total.Add(s)
		fmt.Printf("| %s | %d | %d | %d |\n", a.Name, s.Raw, s.Gzip, s.Brotli)
	}
	fmt.Printf("| **total** | %d | %d | **%d** (%.2f KB) |\n", total.Raw, total.Gzip, total.Brotli, float64(total.Brotli)/1000)
	fmt.Printf("| %s (optional, separate) | %d | %d | %d |\n", sdk.BannerName, banner.Raw, banner.Gzip, banner.Brotli)
}
