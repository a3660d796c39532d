// Command tagweight prints what the script tag costs a visitor: the loader
// and the tracker module as served (from the embedded sdk/dist), raw, gzip -9
// and brotli -q 11, and their sum, as a Markdown table; then the optional
// add-ons on their own, each with its sum: the consent banner, and the mouse
// add-on (mouse.js and its module).
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
	addons := map[string]weight.Sizes{}
	var order []string // the add-ons, in the order of their files
	var later []string // the add-ons' lines, after the tag's total
	for _, a := range assets {
		s := weight.Measure(a.Body)
		line := fmt.Sprintf("| %s | %d | %d | %d |", a.Name, s.Raw, s.Gzip, s.Brotli)
		if a.Addon == "" {
			total = total.Add(s)
			fmt.Println(line)
			continue
		}
		if _, ok := addons[a.Addon]; !ok { // a separate, optional script: not part of the tag
			order = append(order, a.Addon)
		}
		addons[a.Addon] = addons[a.Addon].Add(s)
		later = append(later, fmt.Sprintf("| %s (%s add-on, optional, separate) | %d | %d | %d |", a.Name, a.Addon, s.Raw, s.Gzip, s.Brotli))
	}
	fmt.Printf("| **total** | %d | %d | **%d** (%.2f KB) |\n", total.Raw, total.Gzip, total.Brotli, float64(total.Brotli)/1000)
	for _, line := range later {
		fmt.Println(line)
	}
	for _, name := range order {
		s := addons[name]
		fmt.Printf("| **%s add-on total** | %d | %d | **%d** |\n", name, s.Raw, s.Gzip, s.Brotli)
	}
}
