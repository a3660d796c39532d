package collector

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/crumbless/crumbless/sdk"
)

const (
	testOrigin = "https://example.com"
	testUA     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
)

// fakeAssets stands in for the built tracker.
func fakeAssets() []sdk.Asset {
	return []sdk.Asset{
		{Name: "crumbless.js", ContentType: "text/javascript; charset=utf-8",
			Body: []byte(strings.Repeat("/* loader */ import('./tracker.0123456789ab.wasm');\n", 20))},
		{Name: "tracker.0123456789ab.wasm", ContentType: "application/wasm",
			Body: append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 256)...), Immutable: true},
	}
}

// logBuffer is a log destination safe for the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testConfig is a valid configuration for one site, writing into a
// temporary directory, with fake tracker files.
func testConfig(t *testing.T) (Config, *logBuffer) {
	logs := &logBuffer{}
	return Config{
		DataDir: t.TempDir(),
		Sites:   []SiteConfig{{ID: "example.com", Origins: []string{testOrigin}}},
		Assets:  fakeAssets(),
		Logger:  slog.New(slog.NewTextHandler(logs, nil)),
	}, logs
}

// testServer is a running Server and its base URL.
type testServer struct {
	*Server
	url string
}

// start runs a Server on 127.0.0.1 with a port the OS picks, and shuts it
// down at the end of the test if the test did not.
func start(t *testing.T, cfg Config) testServer {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln := listen(t)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	for deadline := time.Now().Add(5 * time.Second); s.Addr() == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Serve did not start")
		}
	}
	t.Cleanup(func() {
		shutdown(t, s)
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return testServer{s, "http://" + ln.Addr().String()}
}

func shutdown(t *testing.T, s *Server) {
	t.Helper()
	// Generous: on a loaded shared machine draining the spool into files
	// has taken over 10 s.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// dataFile is one file under the data directory, decompressed if zstd.
type dataFile struct {
	path  string // relative to the data directory
	plain []byte
}

func readDataDir(t *testing.T, dir string) []dataFile {
	t.Helper()
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var files []dataFile
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && path == filepath.Join(dir, "spool") {
			return filepath.SkipDir // the spool's binary segments: spoolFiles
		}
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "_") { // not the partitions' manifests
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".zst") {
			if raw, err = dec.DecodeAll(raw, nil); err != nil {
				t.Errorf("decoding %s: %v", path, err)
			}
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, dataFile{filepath.ToSlash(rel), raw})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// spoolFiles returns the spool's files under dir, raw.
func spoolFiles(t *testing.T, dir string) []dataFile {
	t.Helper()
	var files []dataFile
	paths, _ := filepath.Glob(filepath.Join(dir, "spool", "*"))
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, dataFile{filepath.ToSlash(rel), raw})
	}
	return files
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func netResolve(addr string) (net.Addr, error) { return net.ResolveTCPAddr("tcp", addr) }
