package erasure

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
	"github.com/valyala/fastjson"
)

// maxLineBytes bounds one row; rows are far smaller (row/SCHEMA.md).
const maxLineBytes = 16 << 20

// matcher tells subject's rows from the others.
type matcher struct {
	subject Subject
	id      []byte
	p       fastjson.Parser
}

func newMatcher(s Subject) *matcher { return &matcher{subject: s, id: []byte(s.ID)} }

// matches reports whether the NDJSON row line is the subject's. Lines
// without the id's bytes are not parsed.
func (m *matcher) matches(line []byte) bool {
	if !bytes.Contains(line, m.id) {
		return false
	}
	v, err := m.p.ParseBytes(line)
	if err != nil {
		return false // not a row; kept as it is
	}
	return string(v.GetStringBytes(m.subject.field())) == m.subject.ID
}

// eachLine calls fn with every line of the zstd-compressed NDJSON file at
// path, its newline included.
func eachLine(path string, fn func(line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("reading: %w", err)
	}
	defer dec.Close()
	sc := bufio.NewScanner(dec)
	sc.Buffer(make([]byte, 64<<10), maxLineBytes)
	sc.Split(scanLinesKeepingNewline)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	return nil
}

// scanLinesKeepingNewline splits after each newline, keeping it, so that
// a rewritten file is the original without the removed lines, byte for
// byte.
func scanLinesKeepingNewline(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// eraseNDJSON rewrites the file at path without the subject's rows, if it
// has any, and returns how many it removed.
func eraseNDJSON(path string, subject Subject) (int, error) {
	m := newMatcher(subject)
	n := 0
	if err := eachLine(path, func(line []byte) error {
		if m.matches(line) {
			n++
		}
		return nil
	}); err != nil || n == 0 {
		return 0, err
	}
	if err := rewrite(path, func(w io.Writer) error { return writeWithout(w, path, m) }); err != nil {
		return 0, err
	}
	return n, nil
}

// writeWithout compresses the lines of path that m does not match into w.
func writeWithout(w io.Writer, path string, m *matcher) error {
	enc, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	err = eachLine(path, func(line []byte) error {
		if m.matches(line) {
			return nil
		}
		_, err := enc.Write(line)
		return err
	})
	if err != nil {
		enc.Close()
		return err
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("compressing: %w", err)
	}
	return nil
}
