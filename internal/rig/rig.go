// Package rig runs the real parts for the end-to-end tests and the browser
// benchmarks: finding Chromium and starting it headless, building and
// running the collector from this repository on 127.0.0.1, and reading its
// output files back. wasm/e2e, collector/faults and bench use it.
package rig

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/klauspost/compress/zstd"
)

// Chromium finds the browser: CRUMBLESS_CHROMIUM (what `make test` sets,
// from wasm/e2e/install-chromium.sh), else chromium on PATH.
func Chromium() (string, error) {
	if p := os.Getenv("CRUMBLESS_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: run wasm/e2e/install-chromium.sh or set CRUMBLESS_CHROMIUM")
}

// Browser starts one headless Chromium with a fresh profile, as wasm/e2e
// does, and returns its context. stop closes it and removes the profile.
func Browser(parent context.Context, path string, extra ...chromedp.ExecAllocatorOption) (ctx context.Context, stop func(), err error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	)
	opts = append(opts, extra...)
	profile, err := os.MkdirTemp("", "crumbless-bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, chromedp.UserDataDir(profile))
	actx, acancel := chromedp.NewExecAllocator(parent, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	var once sync.Once
	stop = func() { once.Do(func() { stopBrowser(bctx, bcancel, acancel, profile) }) }
	if err := chromedp.Run(bctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting Chromium: %w", err)
	}
	return bctx, stop, nil
}

func stopBrowser(bctx context.Context, bcancel, acancel context.CancelFunc, profile string) {
	{
		chromedp.Cancel(bctx)
		bcancel()
		acancel()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// BuildCollector builds the collector binary from this module into dir.
func BuildCollector(dir string) (string, error) {
	bin := filepath.Join(dir, "crumbless")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/crumbless/crumbless/collector/cmd/crumbless")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the collector: %w", err)
	}
	return bin, nil
}

// Collector is a running `crumbless serve` process.
type Collector struct {
	URL  string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  bytes.Buffer
	done chan struct{} // closed once the process has exited, with err
	err  error
}

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// StartCollector runs `BIN serve -listen 127.0.0.1:0 ARGS...` and waits for
// it to say where it listens.
func StartCollector(bin string, args ...string) (*Collector, error) {
	c := &Collector{done: make(chan struct{})}
	c.cmd = exec.Command(bin, append([]string{"serve", "-listen", "127.0.0.1:0"}, args...)...)
	stderr, err := c.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	c.cmd.Stdout = io.Discard
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the collector: %w", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			c.mu.Lock()
			c.log.WriteString(line + "\n")
			c.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	select {
	case c.URL = <-found:
		return c, nil
	case <-c.done:
		return nil, fmt.Errorf("collector exited at start-up (%v):\n%s", c.err, c.Log())
	case <-time.After(20 * time.Second):
		c.cmd.Process.Kill()
		return nil, fmt.Errorf("collector did not report its address:\n%s", c.Log())
	}
}

// Log returns what the collector logged so far.
func (c *Collector) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.String()
}

// Stop sends SIGTERM and requires a clean exit within 30 s: every open file
// is then complete.
func (c *Collector) Stop() error {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case <-c.done:
		if c.err != nil {
			return fmt.Errorf("collector exit after SIGTERM: %v", c.err)
		}
		return nil
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		return errors.New("collector did not exit within 30s of SIGTERM")
	}
}

// Kill sends SIGKILL, if the process still runs, and waits for it to be
// gone: a crash, for fault tests, or the end of an error path.
func (c *Collector) Kill() {
	select {
	case <-c.done:
		return
	default:
	}
	c.cmd.Process.Kill()
	<-c.done
}

// Row is one output event.
type Row map[string]any

// Str returns a string field, or "".
func (r Row) Str(key string) string { s, _ := r[key].(string); return s }

// Prop returns a custom event's property, or "".
func (r Row) Prop(key string) string {
	p, _ := r["props"].(map[string]any)
	s, _ := p[key].(string)
	return s
}

// ReadRows decodes every output file under dir/events (NDJSON, zstd),
// skipping the partitions' manifests ("_manifest-….json"; readers skip
// names starting with "_"). A file of another name (a partial .tmp) is an
// error: after a graceful stop there must be none.
func ReadRows(dir string) ([]Row, error) {
	dec, err := zstd.NewReader(nil)
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	var rows []Row
	err = filepath.WalkDir(filepath.Join(dir, "events"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return err
		}
		if !strings.HasSuffix(path, ".ndjson.zst") {
			return fmt.Errorf("unexpected file %s (partial?)", path)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := dec.Reset(f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		b, err := io.ReadAll(dec)
		if err != nil {
			return fmt.Errorf("%s is not a complete zstd stream: %w", path, err)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var r Row
			if err := json.Unmarshal(line, &r); err != nil {
				return fmt.Errorf("%s: line is not JSON: %w", path, err)
			}
			rows = append(rows, r)
		}
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	return rows, err
}
