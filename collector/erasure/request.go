package erasure

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crumbless/crumbless/internal/durable"
)

// RequestsDir is the directory below DATA/erasures holding pending
// requests, one JSON file each.
const RequestsDir = "requests"

// staleTmp is how old a hidden, half-written request file must be before
// a run removes it: older than any write in progress.
const staleTmp = time.Hour

// Request is a pending erasure: the ids of one visitor on one site, such
// as the visitor ids of today and yesterday a browser's /forget computed.
// It never holds an IP address or a User-Agent.
type Request struct {
	Site string   `json:"site"`
	Kind string   `json:"kind"` // KindVisitor or KindUID
	IDs  []string `json:"ids"`
	// Received is when the request came (Unix milliseconds).
	Received int64 `json:"received"`
}

// WriteRequest stores r durably below DATA/erasures/requests: written to a
// hidden file, synced, renamed, and the directory synced.
func WriteRequest(dataDir string, r Request) error {
	for _, id := range r.IDs {
		if err := (Subject{Kind: r.Kind, ID: id}).Validate(); err != nil {
			return fmt.Errorf("storing an erasure request: %w", err)
		}
	}
	if !safeSite(r.Site) {
		return fmt.Errorf("storing an erasure request: %q is not a site id", r.Site)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("storing an erasure request: %w", err)
	}
	dir := filepath.Join(dataDir, Subdir, RequestsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("storing an erasure request: %w", err)
	}
	var nonce [6]byte
	rand.Read(nonce[:])
	name := fmt.Sprintf("%013d-%s.json", r.Received, hex.EncodeToString(nonce[:]))
	if err := writeSynced(filepath.Join(dir, name), data); err != nil {
		return fmt.Errorf("storing an erasure request: %w", err)
	}
	return nil
}

// writeSynced writes data to path whole or not at all.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+tmpSuffix),
		os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		discard(f)
		return err
	}
	if err := replace(f, path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// ApplyPending applies every pending request: it erases each id, and
// writes a record when rows were removed. A request stays pending, and is
// applied again at every run, until it is older than hold: rows of the
// visitor still in files the collector was writing when the request came
// (or in the spool) are erased once those files are complete. At its last
// application a request is recorded even when nothing was removed, then
// deleted. It returns how many requests it finished.
func ApplyPending(cfg Config, hold time.Duration) (finished int, err error) {
	cfg, err = cfg.withDefaults()
	if err != nil {
		return 0, err
	}
	dir := filepath.Join(cfg.Dir, Subdir, RequestsDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("listing erasure requests: %w", err)
	}
	now := cfg.Now()
	var errs []error
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			removeStale(path, now)
			continue
		}
		if !strings.HasSuffix(e.Name(), ".json") {
			continue // set aside as invalid
		}
		done, err := applyRequest(cfg, path, now, hold)
		errs = append(errs, err)
		if done {
			finished++
		}
	}
	return finished, errors.Join(errs...)
}

// applyRequest applies the request at path, and deletes it when it is
// older than hold and applied without error.
func applyRequest(cfg Config, path string, now time.Time, hold time.Duration) (done bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("reading erasure request %q: %w", path, err)
	}
	var r Request
	if err := validRequest(data, &r); err != nil {
		os.Rename(path, path+".invalid") // not tried again every minute
		return false, fmt.Errorf("erasure request %q is not valid, set aside as .invalid: %w", path, err)
	}
	last := now.Sub(time.UnixMilli(r.Received)) >= hold
	var errs []error
	for _, id := range r.IDs {
		s := Subject{Kind: r.Kind, ID: id}
		if r.Kind == KindVisitor {
			s.Around = time.UnixMilli(r.Received)
		}
		_, err := erase(cfg, r.Site, s, last)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil || !last {
		return false, err
	}
	if err := os.Remove(path); err != nil {
		return false, fmt.Errorf("removing applied erasure request: %w", err)
	}
	return true, durable.SyncDir(filepath.Dir(path))
}

// validRequest decodes a stored request and checks it.
func validRequest(data []byte, r *Request) error {
	if err := json.Unmarshal(data, r); err != nil {
		return err
	}
	if !safeSite(r.Site) {
		return fmt.Errorf("%q is not a site id", r.Site)
	}
	for _, id := range r.IDs {
		if err := (Subject{Kind: r.Kind, ID: id}).Validate(); err != nil {
			return err
		}
	}
	return nil
}

// removeStale removes a half-written request file left by a crash.
func removeStale(path string, now time.Time) {
	if fi, err := os.Stat(path); err == nil && now.Sub(fi.ModTime()) > staleTmp {
		os.Remove(path)
	}
}

// Pending returns how many requests wait below dataDir.
func Pending(dataDir string) int {
	entries, _ := os.ReadDir(filepath.Join(dataDir, Subdir, RequestsDir))
	n := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".json") {
			n++
		}
	}
	return n
}
