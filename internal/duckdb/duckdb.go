// Package duckdb runs SQL with DuckDB, through its Node bindings, so that
// tests read the collector's output files exactly the way the README tells
// data teams to. wasm/e2e and collector/sink/filesink use it.
//
// The bindings are pinned by package-lock.json beside this file and
// installed once by install-duckdb.sh into a cache directory; `make test`
// installs them and points CRUMBLESS_DUCKDB at their node_modules, and
// without it Query installs them itself. It needs node and npm.
package duckdb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Row is one result row, as DuckDB's JSON rendering gives it: big
// integers and decimals are strings.
type Row = map[string]any

var (
	installOnce sync.Once
	modules     string
	installErr  error
)

// dir returns the directory of this package's scripts.
func dir() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "", errors.New("finding the DuckDB scripts: no source path (built with -trimpath?)")
	}
	return filepath.Dir(file), nil
}

// Modules returns the node_modules directory holding DuckDB's Node
// bindings: CRUMBLESS_DUCKDB, or where install-duckdb.sh installed them.
func Modules() (string, error) {
	installOnce.Do(func() {
		if modules = os.Getenv("CRUMBLESS_DUCKDB"); modules != "" {
			return
		}
		here, err := dir()
		if err != nil {
			installErr = err
			return
		}
		var stderr bytes.Buffer
		cmd := exec.Command(filepath.Join(here, "install-duckdb.sh"))
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			installErr = fmt.Errorf("installing DuckDB: %w: %s", err, stderr.String())
			return
		}
		modules = strings.TrimSpace(string(out))
	})
	return modules, installErr
}

// Query runs sql and returns its rows.
func Query(sql string) ([]Row, error) {
	mods, err := Modules()
	if err != nil {
		return nil, err
	}
	here, err := dir()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", filepath.Join(here, "query.cjs"), mods, sql)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("running DuckDB: %w: %s", err, stderr.String())
	}
	var rows []Row
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r Row
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("decoding DuckDB row %s: %w", line, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}
