package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var replay struct {
	once sync.Once
	bin  []byte
	err  error
	log  []byte
}

// replayModule returns the tracker module built with the build tag
// crumbless_replay: the shipped module's code, plus RecordSignals, which
// the tests use to replay generated consent signals. It is built once per
// test run with wasm/toolchain/build-tracker.sh, so TinyGo must be
// installed (make test installs it).
func replayModule(t *testing.T) []byte {
	t.Helper()
	replay.once.Do(func() {
		dir, err := os.MkdirTemp("", "crumbless-replay")
		if err != nil {
			replay.err = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "tracker.wasm")
		cmd := exec.Command("../../toolchain/build-tracker.sh", out, "crumbless_replay")
		if replay.log, replay.err = cmd.CombinedOutput(); replay.err != nil {
			return
		}
		replay.bin, replay.err = os.ReadFile(out)
	})
	if replay.err != nil {
		t.Fatalf("building the replay module: %v\n%s", replay.err, replay.log)
	}
	return replay.bin
}
