package filesink

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
)

// A manifest lists the files one node (one Sink) published in one
// partition, as _manifest-<node>.json in the partition's directory.
// Several collectors may write one partition, each with its own node id
// and so its own manifest; readers skip names starting with "_" or ".".
// It is rewritten atomically (temporary file, rename, directory sync)
// after every file the node publishes there. Complete is set once the
// partition's hour (or day) is over and the node has no open file there,
// and on Close: the node adds no more files to it.
type manifest struct {
	Node     string         `json:"node"`
	Complete bool           `json:"complete"`
	Files    []manifestFile `json:"files"`
}

// manifestFile is one published file in a manifest.
type manifestFile struct {
	Name          string `json:"name"`
	Format        Format `json:"format"`
	Rows          int64  `json:"rows"`
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
	MinReceivedAt string `json:"min_received_at,omitempty"`
	MaxReceivedAt string `json:"max_received_at,omitempty"`
	SchemaVersion int    `json:"schema_version,omitempty"`
}

const (
	manifestPrefix = "_manifest-"
	manifestExt    = ".json"
	// manifestTmpPrefix starts a manifest's temporary name; a crash may
	// leave one, which Open removes.
	manifestTmpPrefix = ".manifest-"
	timeLayout        = "2006-01-02T15:04:05.000Z"
)

func manifestName(node string) string { return manifestPrefix + node + manifestExt }

// nodeOfManifest returns the node of a manifest's file name, or "".
func nodeOfManifest(name string) string {
	node, ok := strings.CutPrefix(name, manifestPrefix)
	if node, ok2 := strings.CutSuffix(node, manifestExt); ok && ok2 {
		return node
	}
	return ""
}

func newManifestFile(name string, f Format, st fileStats) manifestFile {
	m := manifestFile{Name: name, Format: f, Rows: st.Rows, Bytes: st.Bytes, SHA256: st.SHA256, SchemaVersion: st.SchemaVersion}
	if !st.MinReceived.IsZero() {
		m.MinReceivedAt = st.MinReceived.UTC().Format(timeLayout)
		m.MaxReceivedAt = st.MaxReceived.UTC().Format(timeLayout)
	}
	return m
}

// writeManifest writes m into dir atomically.
func writeManifest(dir string, m *manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding manifest: %w", err)
	}
	tmp := filepath.Join(dir, manifestTmpPrefix+m.Node+manifestExt+tmpSuffix)
	if err := writeSynced(tmp, append(data, '\n')); err != nil {
		return err
	}
	return commit(tmp, filepath.Join(dir, manifestName(m.Node)))
}

// writeSynced writes data into a new file at path and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("creating %q: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %q: %w", path, err)
	}
	return nil
}

// readManifest reads dir's manifest of node; a missing one is
// fs.ErrNotExist.
func readManifest(dir, node string) (*manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, manifestName(node)))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decoding manifest of %q in %q: %w", node, dir, err)
	}
	return &m, nil
}

// openManifest is this node's manifest of one partition that is not
// complete yet.
type openManifest struct {
	manifest
	dir   string
	site  string
	key   partKey
	daily bool
}

// listPublished adds files, just published from p, to the manifest of p's
// partition and writes it. A failure is logged, not returned: the files
// are published, and the next Open rebuilds the manifest from them.
func (s *Sink) listPublished(p *partition, files []published) {
	s.manMu.Lock()
	defer s.manMu.Unlock()
	m := s.manifests[p.dir]
	if m == nil {
		m = &openManifest{manifest: manifest{Node: s.node}, dir: p.dir, site: p.site,
			key: partKey{xxhash.Sum64String(p.site), p.hour}, daily: p.daily}
		if old, err := readManifest(p.dir, s.node); err == nil {
			m.Files = old.Files // a late file in a partition completed before
		}
		s.manifests[p.dir] = m
	}
	for _, f := range files {
		if f.stats.SchemaVersion == 0 {
			f.stats.SchemaVersion = s.cfg.SchemaVersion
		}
		m.Files = append(m.Files, newManifestFile(f.name, f.format, f.stats))
	}
	m.Complete = s.overLocked(m, s.cfg.Now())
	s.writeManifestLocked(m)
}

// completeManifests marks complete the manifests whose partition is over;
// all of them when closing.
func (s *Sink) completeManifests(now time.Time, closing bool) {
	s.manMu.Lock()
	defer s.manMu.Unlock()
	for _, m := range s.manifests {
		if closing || s.overLocked(m, now) {
			m.Complete = true
			s.writeManifestLocked(m)
		}
	}
}

// overLocked reports whether m's partition is over at now: its hour (or
// day) has ended and this node has no open file in it. The caller holds
// manMu.
func (s *Sink) overLocked(m *openManifest, now time.Time) bool {
	if bucketOf(now, m.daily) == m.key.hour {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, open := s.parts[m.key]
	return !open || p.site != m.site
}

// writeManifestLocked writes m, and forgets it once complete.
func (s *Sink) writeManifestLocked(m *openManifest) {
	if err := writeManifest(m.dir, &m.manifest); err != nil {
		s.writeErrors.Inc()
		s.log.Error("writing a partition's manifest failed; the next start rebuilds it", "dir", m.dir, "err", err)
	}
	if m.Complete {
		delete(s.manifests, m.dir)
	}
}
