package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// binary is the collector built once for the whole package by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crumbless-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "crumbless")
	build := exec.Command("go", "build", "-o", binary, "github.com/crumbless/crumbless/collector/cmd/crumbless")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.Stderr.WriteString("e2e: building the collector failed\n")
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// collector is a running collector process.
type collector struct {
	t      *testing.T
	cmd    *exec.Cmd
	URL    string // http://127.0.0.1:PORT
	log    *bytes.Buffer
	exited chan error
}

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// startCollector runs `crumbless serve -listen 127.0.0.1:0 ARGS...` and waits
// for it to say where it listens.
func startCollector(t *testing.T, args ...string) *collector {
	t.Helper()
	c := &collector{t: t, log: new(bytes.Buffer), exited: make(chan error, 1)}
	c.cmd = exec.Command(binary, append([]string{"serve", "-listen", "127.0.0.1:0"}, args...)...)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout = c.log
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting collector: %v", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			c.log.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		c.exited <- c.cmd.Wait()
	}()
	select {
	case c.URL = <-found:
	case err := <-c.exited:
		t.Fatalf("collector exited at start-up (%v):\n%s", err, c.log)
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		t.Fatalf("collector did not report its address:\n%s", c.log)
	}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
		}
	})
	return c
}

// stop sends SIGTERM and requires a clean exit within 15 s.
func (c *collector) stop() {
	c.t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		c.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-c.exited:
		if err != nil {
			c.t.Fatalf("collector exit after SIGTERM: %v\n%s", err, c.log)
		}
	case <-time.After(15 * time.Second):
		c.cmd.Process.Kill()
		c.t.Fatalf("collector did not exit within 15s of SIGTERM:\n%s", c.log)
	}
}

// row is one output event, as a data team reads it.
type row map[string]any

func (r row) str(key string) string { s, _ := r[key].(string); return s }

// readRows decodes every complete output file under dir/events.
func readRows(t *testing.T, dir string) []row {
	t.Helper()
	var rows []row
	for _, raw := range readOutputs(t, dir) {
		for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var r row
			if err := json.Unmarshal(line, &r); err != nil {
				t.Fatalf("output line is not JSON: %v: %s", err, line)
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// readOutputs returns the decompressed content of every complete output file,
// keyed by its path relative to dir, and fails on a partial (.tmp) file.
func readOutputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !strings.HasSuffix(path, ".ndjson.zst") {
			out[rel] = nil // noted so callers can tell what else is there
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := dec.Reset(f); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		b, err := io.ReadAll(dec)
		if err != nil {
			t.Fatalf("%s is not a complete zstd stream: %v", rel, err)
		}
		out[rel] = b
		return nil
	})
	return out
}
