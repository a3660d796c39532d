package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crumbless/crumbless/sdk"
)

// listening matches the line serve logs when it is ready.
var listening = regexp.MustCompile(`listening on (http://\S+?)"`)

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run(t.Context(), []string{"version"}, &out, io.Discard); code != 0 || !strings.HasPrefix(out.String(), "crumbless ") {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
}

func TestUsage(t *testing.T) {
	var errOut bytes.Buffer
	for _, args := range [][]string{nil, {"frobnicate"}, {"serve", "-nope"}, {"check-config"}} {
		errOut.Reset()
		if code := run(t.Context(), args, io.Discard, &errOut); code != exitUsage || errOut.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut.String())
		}
	}
}

func TestCheckConfig(t *testing.T) {
	var out bytes.Buffer
	if code := run(t.Context(), []string{"check-config", "-config", "../../testdata/example.yaml"}, &out, io.Discard); code != 0 {
		t.Errorf("good config: exit %d, %s", code, out.String())
	}
	out.Reset()
	code := run(t.Context(), []string{"check-config", "-config", "../../testdata/bad.yaml"}, &out, io.Discard)
	if code != exitFail || strings.Count(out.String(), "\n") != 12 ||
		!strings.Contains(out.String(), `bad.yaml: sites[0].origins[0]: "example.com" is not an origin; write it as https://example.com`) {
		t.Errorf("bad config: exit %d, output:\n%s", code, out.String())
	}
	out.Reset()
	unknown := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(unknown, []byte("sites: []\nsitez: []\n"), 0o644)
	if code := run(t.Context(), []string{"check-config", "-config", unknown}, &out, io.Discard); code != exitFail ||
		!strings.Contains(out.String(), `unknown field "sitez"`) {
		t.Errorf("unknown key: exit %d, output:\n%s", code, out.String())
	}
}

// TestServeStopsOnSIGTERM runs serve in this process with fake tracker
// files, sends it a batch, then SIGTERM, and checks that it exits 0 with
// the batch in a complete file.
func TestServeStopsOnSIGTERM(t *testing.T) {
	testAssets = []sdk.Asset{
		{Name: "crumbless.js", ContentType: "text/javascript", Body: []byte("/* loader */")},
		{Name: "tracker.000000000000.wasm", ContentType: "application/wasm", Body: []byte("\x00asm"), Immutable: true},
	}
	t.Cleanup(func() { testAssets = nil })
	data := t.TempDir()
	logs := &syncBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- run(context.Background(), []string{"serve", "-demo", "-listen", "127.0.0.1:0", "-data", data,
			"-pages", filepath.Join(data, "no-pages")}, io.Discard, logs)
	}()
	url := waitListening(t, logs.String, exit)
	postBatch(t, url)
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d; logs:\n%s", code, logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	checkOneFile(t, data)
	for _, want := range []string{"level=WARN msg=\"pages directory not found", "shutting down", "msg=stopped"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

func TestServeFailsToListen(t *testing.T) {
	testAssets = []sdk.Asset{{Name: "crumbless.js", ContentType: "text/javascript", Body: []byte("x")}}
	t.Cleanup(func() { testAssets = nil })
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	var errOut bytes.Buffer
	code := run(t.Context(), []string{"serve", "-demo", "-listen", addr, "-data", t.TempDir()}, io.Discard, &errOut)
	if code != exitFail || !strings.Contains(errOut.String(), "listening on "+addr+": listen tcp") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut.String())
	}
}

// TestBinary builds the real binary and runs it as a user would: version,
// check-config, and, when the tracker is built, serve until SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "crumbless")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "version").Output(); err != nil || !strings.HasPrefix(string(out), "crumbless ") {
		t.Errorf("version: %v %q", err, out)
	}
	if err := exec.Command(bin, "check-config", "-config", "../../testdata/bad.yaml").Run(); exitCode(err) != 1 {
		t.Errorf("check-config of a bad file: %v", err)
	}
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "-demo", "-listen", "127.0.0.1:0", "-data", data)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exit := make(chan int, 1)
	go func() { exit <- exitCode(cmd.Wait()) }()
	if _, err := sdk.Assets(); err != nil {
		if code := <-exit; code != 1 || !strings.Contains(logs.String(), "tracker not built") {
			t.Errorf("serve without a tracker: exit %d, stderr:\n%s", code, logs)
		}
		return
	}
	url := waitListening(t, logs.String, exit)
	postBatch(t, url)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d after SIGTERM; stderr:\n%s", code, logs)
	}
	checkOneFile(t, data)
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// waitListening waits for the listening line and returns its URL.
func waitListening(t *testing.T, logs func() string, exit <-chan int) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if m := listening.FindStringSubmatch(logs()); m != nil {
			return m[1]
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited %d before listening:\n%s", code, logs())
		case <-deadline:
			t.Fatalf("no listening line:\n%s", logs())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func postBatch(t *testing.T, url string) {
	t.Helper()
	now := time.Now().UnixMilli()
	var body bytes.Buffer
	zw := gzip.NewWriter(&body)
	fmt.Fprintf(zw, `{"v":1,"site":"demo.test","sent_at":%d,"events":[{"id":"e1","type":"pageview","ts":%d,"path":"/"}]}`, now, now)
	zw.Close()
	req, _ := http.NewRequest("POST", url+"/e", &body)
	req.Header.Set("Origin", "http://localhost:8080")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /e: %s (%s)", resp.Status, resp.Header.Get("X-Crumbless-Reason"))
	}
}

// checkOneFile checks that data holds exactly one complete file, with one
// row, and no temporary file (beside the partition's manifest).
func checkOneFile(t *testing.T, data string) {
	t.Helper()
	var files []string
	filepath.WalkDir(filepath.Join(data, "events"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), "_manifest-") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) != 1 || !strings.HasSuffix(files[0], ".ndjson.zst") || strings.Contains(filepath.Base(files[0]), ".tmp") ||
		!strings.Contains(files[0], filepath.Join("events", "site=demo.test")) {
		t.Errorf("files after shutdown: %v", files)
	}
	// The spool was drained into the file: its cursor is at the batch.
	if cursor, err := os.ReadFile(filepath.Join(data, "spool", "files.cursor")); err != nil || string(cursor) != "1" {
		t.Errorf("spool cursor after shutdown: %q, %v", cursor, err)
	}
}

// syncBuffer is a buffer the server's goroutines and the test can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeProfiles: -pprof serves Go's profiling index on its own
// address, and only then.
func TestServeProfiles(t *testing.T) {
	testAssets = []sdk.Asset{{Name: "crumbless.js", ContentType: "text/javascript", Body: []byte("x")}}
	t.Cleanup(func() { testAssets = nil })
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := free.Addr().String()
	free.Close()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"serve", "-demo", "-listen", "127.0.0.1:0", "-data", t.TempDir(), "-pprof", addr}, io.Discard, logs)
	}()
	url := waitListening(t, logs.String, exit)
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET the profiling index: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if resp, err := http.Get(url + "/debug/pprof/"); err == nil {
		if resp.StatusCode == http.StatusOK {
			t.Errorf("the collector's own address serves the profiles")
		}
		resp.Body.Close()
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Errorf("exit %d", code)
	}
}
