package record

import (
	"bytes"
	"encoding/json"
	"path/filepath"
)

// Result is what Verify found for one site.
type Result struct {
	Site    string
	Files   int
	Records int
	// Break is the first broken link, or nil when the chain holds.
	Break *Break
}

// Break is a broken link: the record at File, Line does not follow from
// the one before it, or its contents do not match its hash.
type Break struct {
	File     string // relative to the data directory
	Line     int
	Problem  string
	Expected string
	Found    string
}

// Verify walks the record files of site (every site when site is "") in
// chain order, recomputes every hash and checks every link.
func Verify(dir, site string) ([]Result, error) {
	sites := []string{site}
	if site == "" {
		var err error
		if sites, err = Sites(dir); err != nil {
			return nil, err
		}
	}
	var out []Result
	for _, s := range sites {
		r, err := verifySite(dir, s)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

func verifySite(dir, site string) (Result, error) {
	res := Result{Site: site}
	files, err := siteFiles(dir, site)
	if err != nil {
		return res, err
	}
	prev := Genesis
	for _, f := range files {
		res.Files++
		rel, _ := filepath.Rel(dir, f)
		err := eachLine(f, func(n int, line []byte) bool {
			res.Records++
			var hash string
			hash, res.Break = checkLine(line, prev)
			if res.Break != nil {
				res.Break.File, res.Break.Line = filepath.ToSlash(rel), n
				return false
			}
			prev = hash
			return true
		})
		if err != nil || res.Break != nil {
			return res, err
		}
	}
	return res, nil
}

var hashField = []byte(`,"hash":"`)

// checkLine checks one record against the previous record's hash and
// returns its own.
func checkLine(line []byte, prev string) (string, *Break) {
	var r struct {
		PrevHash string `json:"prev_hash"`
		Hash     string `json:"hash"`
	}
	i := bytes.LastIndex(line, hashField)
	if i < 0 || json.Unmarshal(line, &r) != nil {
		return "", &Break{Problem: "not a consent record"}
	}
	if r.PrevHash != prev {
		return "", &Break{Problem: "prev_hash is not the previous record's hash: a record before this one is missing or was changed",
			Expected: prev, Found: r.PrevHash}
	}
	canonical := append(bytes.Clone(line[:i]), '}')
	if got := chainHash(prev, canonical); got != r.Hash {
		return "", &Break{Problem: "hash does not match the record's contents: this record was changed",
			Expected: got, Found: r.Hash}
	}
	return r.Hash, nil
}
