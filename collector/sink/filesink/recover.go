package filesink

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/valyala/fastjson"
)

// recoverFiles runs at Open, before anything is written: in every
// directory under root it publishes the Parquet files a crash left
// complete under their temporary name (see publish), removes temporary
// manifests, and rebuilds the manifests that are missing or do not list
// the files present. All nodes but this Sink's own (new) one are earlier
// runs, as one data directory belongs to one collector: their manifests
// are complete, they publish nothing more.
func (s *Sink) recoverFiles() error {
	err := filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return s.recoverDir(path)
	})
	if err != nil {
		return fmt.Errorf("recovering files: %w", err)
	}
	return nil
}

func (s *Sink) recoverDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("listing %q: %w", dir, err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	names, err = s.rollForward(dir, names)
	if err != nil {
		return err
	}
	byNode := map[string][]string{}
	for _, name := range names {
		if node := nodeOf(name); node != "" {
			byNode[node] = append(byNode[node], name)
		}
	}
	for node, files := range byNode {
		if err := s.repairManifest(dir, node, files); err != nil {
			return err
		}
	}
	return nil
}

// rollForward publishes each temporary Parquet file whose NDJSON twin is
// published, removes temporary manifests, and returns the names now in dir.
func (s *Sink) rollForward(dir string, names []string) ([]string, error) {
	var out []string
	for _, name := range names {
		if strings.HasPrefix(name, manifestTmpPrefix) && strings.HasSuffix(name, tmpSuffix) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("removing %q: %w", name, err)
			}
			continue
		}
		final, ok := parquetTmpFinal(name)
		if !ok || !slices.Contains(names, ndjsonName(final)) {
			out = append(out, name)
			continue
		}
		if err := commit(filepath.Join(dir, name), filepath.Join(dir, final)); err != nil {
			return nil, err
		}
		s.log.Info("published a Parquet file an earlier run had written but not renamed", "file", filepath.Join(dir, final))
		out = append(out, final)
	}
	slices.Sort(out)
	return out, nil
}

// parquetTmpFinal returns the final name of a temporary Parquet file.
func parquetTmpFinal(name string) (string, bool) {
	if !isTmpName(name) {
		return "", false
	}
	final := strings.TrimSuffix(strings.TrimPrefix(name, "."), tmpSuffix)
	_, f, ok := stemOf(final)
	return final, ok && f == FormatParquet
}

// repairManifest rebuilds dir's manifest of node when it is missing or
// does not list exactly files, reading the files it lacks, and marks it
// complete.
func (s *Sink) repairManifest(dir, node string, files []string) error {
	old, err := readManifest(dir, node)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("rebuilding an unreadable manifest", "dir", dir, "err", err)
	}
	if old == nil {
		old = &manifest{Node: node}
	}
	listed := map[string]manifestFile{}
	for _, f := range old.Files {
		listed[f.Name] = f
	}
	m := &manifest{Node: node, Complete: true, Files: make([]manifestFile, 0, len(files))}
	agrees := old.Complete && len(old.Files) == len(files)
	for _, name := range files {
		f, ok := listed[name]
		if !ok {
			agrees = false
			if f, err = describe(filepath.Join(dir, name)); err != nil {
				return err
			}
		}
		m.Files = append(m.Files, f)
	}
	if agrees {
		return nil // complete, lists every file and nothing else
	}
	if err := writeManifest(dir, m); err != nil {
		return fmt.Errorf("rebuilding manifest: %w", err)
	}
	return nil
}

// describe reads a published file for its manifest entry.
func describe(path string) (manifestFile, error) {
	name := filepath.Base(path)
	_, format, _ := stemOf(name)
	data, err := os.ReadFile(path)
	if err != nil {
		return manifestFile{}, fmt.Errorf("reading %q: %w", path, err)
	}
	var st fileStats
	if format == FormatParquet {
		st, err = parquetStats(data)
	} else {
		st, err = ndjsonStats(data)
	}
	if err != nil {
		return manifestFile{}, fmt.Errorf("reading %q: %w", path, err)
	}
	sum := sha256.Sum256(data)
	st.Bytes, st.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
	return newManifestFile(name, format, st), nil
}

// ndjsonStats counts the rows of a zstd NDJSON file, with their
// received_at range and schema version.
func ndjsonStats(data []byte) (fileStats, error) {
	dec, err := zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fileStats{}, err
	}
	defer dec.Close()
	var st fileStats
	var p fastjson.Parser
	r := bufio.NewReader(dec)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 1 {
			v, perr := p.ParseBytes(line)
			if perr != nil {
				return fileStats{}, fmt.Errorf("row %d: %w", st.Rows+1, perr)
			}
			st.Rows++
			st.SchemaVersion = v.GetInt("schema_version")
			t, _ := time.Parse(time.RFC3339Nano, string(v.GetStringBytes("received_at")))
			st.received(t)
		}
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return fileStats{}, err
		}
	}
}

// parquetStats reads the rows of a Parquet file of event rows.
func parquetStats(data []byte) (fileStats, error) {
	r := parquet.NewGenericReader[parquetRow](bytes.NewReader(data))
	defer r.Close()
	var st fileStats
	rows := make([]parquetRow, parquetChunk)
	for {
		n, err := r.Read(rows)
		for i := range rows[:n] {
			st.add(&rows[i])
		}
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return fileStats{}, err
		}
	}
}
