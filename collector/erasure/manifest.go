package erasure

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Partition manifests (collector/sink/filesink): each node that wrote a
// partition lists its files there as _manifest-<node>.json, with each
// file's rows, bytes and SHA-256. A node rewrites its manifest, from
// memory, after every file it publishes until it marks it complete; so an
// erasure leaves a partition with a manifest not yet complete alone (its
// rows are erased by a later run), and after rewriting files updates their
// entries in the complete manifests, keeping every other field.

// manifestPrefix starts a manifest's name.
const manifestPrefix = "_manifest-"

// manifests returns the manifest paths of dir, and whether one of them is
// not complete: a collector may still publish files there.
func manifests(dir string) (paths []string, open bool, err error) {
	matches, err := filepath.Glob(filepath.Join(dir, manifestPrefix+"*.json"))
	if err != nil {
		return nil, false, err
	}
	for _, path := range matches {
		var m struct {
			Complete bool `json:"complete"`
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, false, fmt.Errorf("reading manifest: %w", err)
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, false, fmt.Errorf("reading manifest %q: %w", path, err)
		}
		open = open || !m.Complete
	}
	return matches, open, nil
}

// updateManifests rewrites, in every manifest of dir, the entries of the
// files erasures names (name → rows removed): their rows, bytes and
// sha256 as they now are.
func updateManifests(dir string, erased map[string]int) error {
	paths, _, err := manifests(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, path := range paths {
		errs = append(errs, updateManifest(path, erased))
	}
	return errors.Join(errs...)
}

func updateManifest(path string, erased map[string]int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading manifest: %w", err)
	}
	var m map[string]json.RawMessage
	var files []map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("reading manifest %q: %w", path, err)
	}
	if err := json.Unmarshal(m["files"], &files); err != nil {
		return fmt.Errorf("reading manifest %q: %w", path, err)
	}
	changed := false
	for _, f := range files {
		name, _ := f["name"].(string)
		removed, ok := erased[name]
		if !ok || strings.ContainsAny(name, `/\`) {
			continue
		}
		if err := describeFile(f, filepath.Join(filepath.Dir(path), name), removed); err != nil {
			return err
		}
		changed = true
	}
	if !changed {
		return nil
	}
	if m["files"], err = json.Marshal(files); err != nil {
		return fmt.Errorf("encoding manifest: %w", err)
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding manifest: %w", err)
	}
	return replaceWith(path, append(out, '\n'))
}

// describeFile sets a manifest entry's rows, bytes and sha256 for the
// file at path, rewritten without removed rows.
func describeFile(entry map[string]any, path string, removed int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("hashing %q: %w", path, err)
	}
	entry["bytes"], entry["sha256"] = n, hex.EncodeToString(h.Sum(nil))
	if rows, ok := entry["rows"].(float64); ok {
		entry["rows"] = max(int64(rows)-int64(removed), 0)
	}
	return nil
}

// replaceWith writes data over the file at path atomically, through the
// same temporary name a rewrite uses.
func replaceWith(path string, data []byte) error {
	tmp, err := createTmp(path)
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		discard(tmp)
		return fmt.Errorf("writing %q: %w", tmp.Name(), err)
	}
	if err := replace(tmp, path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
