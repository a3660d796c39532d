package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/klauspost/compress/zstd"
)

// maxLine bounds one record line when reading files back: evidence is at
// most 16 KiB, escaped at most six times over.
const maxLine = 1 << 20

// Sites returns the sites that have records under dir (the data directory).
func Sites(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, Subdir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing consent records: %w", err)
	}
	var sites []string
	for _, e := range entries {
		if site, ok := strings.CutPrefix(e.Name(), "site="); ok && e.IsDir() {
			sites = append(sites, site)
		}
	}
	return sites, nil
}

// siteFiles returns the complete record files of site, in chain order:
// each file after the one whose last hash its first record links to. Files
// that link to none (the first, or after a break) come in sorted order: by
// date, then by the time of their first record, then by name. Names alone
// do not order files written by two runs in the same second.
func siteFiles(dir, site string) ([]string, error) {
	sorted, err := sortedFiles(dir, site)
	if err != nil || len(sorted) < 2 {
		return sorted, err
	}
	return chainOrder(sorted), nil
}

// chainOrder follows the links between files, starting from Genesis.
func chainOrder(sorted []string) []string {
	firstPrev := make(map[string]string, len(sorted))
	last := make(map[string]string, len(sorted))
	for _, f := range sorted {
		firstPrev[f], last[f] = linksOf(f)
	}
	out := make([]string, 0, len(sorted))
	used := make(map[string]bool, len(sorted))
	for head := Genesis; len(out) < len(sorted); {
		next := ""
		for _, f := range sorted {
			if !used[f] && firstPrev[f] == head {
				next = f
				break
			}
		}
		if next == "" { // a break: go on in sorted order
			for _, f := range sorted {
				if !used[f] {
					next = f
					break
				}
			}
		}
		used[next] = true
		out = append(out, next)
		head = last[next]
	}
	return out
}

// linksOf returns the prev_hash of a file's first record and the hash of
// its last; "" where unreadable.
func linksOf(path string) (firstPrev, lastHash string) {
	_ = eachLine(path, func(n int, line []byte) bool {
		var r struct {
			PrevHash string `json:"prev_hash"`
			Hash     string `json:"hash"`
		}
		_ = json.Unmarshal(line, &r)
		if n == 1 {
			firstPrev = r.PrevHash
		}
		lastHash = r.Hash
		return true
	})
	return firstPrev, lastHash
}

func sortedFiles(dir, site string) ([]string, error) {
	root := filepath.Join(dir, Subdir, "site="+site)
	days, err := filepath.Glob(filepath.Join(root, "date=*"))
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", root, err)
	}
	slices.Sort(days)
	var out []string
	for _, day := range days {
		files, err := dayFiles(day)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

func dayFiles(day string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(day, "part-*.ndjson.zst"))
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", day, err)
	}
	first := make(map[string]string, len(names))
	for _, n := range names {
		first[n] = firstTime(n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(first[a], first[b]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return names, nil
}

// firstTime returns the event time of a file's first record, or "" when
// it cannot be read.
func firstTime(path string) string {
	var t string
	_ = eachLine(path, func(_ int, line []byte) bool {
		var r struct {
			Event struct{ Time string }
		}
		_ = json.Unmarshal(line, &r)
		t = r.Event.Time
		return false
	})
	return t
}

// eachLine calls f with each line of a zstd NDJSON file (numbered from 1)
// until f returns false.
func eachLine(path string, f func(n int, line []byte) bool) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer file.Close()
	dec, err := zstd.NewReader(file, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	defer dec.Close()
	sc := bufio.NewScanner(dec)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		if !f(n, bytes.Clone(sc.Bytes())) {
			return nil
		}
	}
	if err := sc.Err(); err != nil && err != io.EOF {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

// lastHash returns the hash of the last record in path.
func lastHash(path string) (string, error) {
	var last []byte
	if err := eachLine(path, func(_ int, line []byte) bool { last = line; return true }); err != nil {
		return "", err
	}
	var r struct{ Hash string }
	if err := json.Unmarshal(last, &r); err != nil || len(r.Hash) != len(Genesis) {
		return "", fmt.Errorf("reading the last record of %s: no hash", path)
	}
	return r.Hash, nil
}
