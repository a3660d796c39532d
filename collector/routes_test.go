package collector

import (
	"log/slog"
	"strings"
	"testing"
)

func TestFasthttpLogLinesCarryNoAddress(t *testing.T) {
	logs := &logBuffer{}
	l := fasthttpLogger{slog.New(slog.NewTextHandler(logs, nil))}
	l.Printf("error when serving connection %q<->%q: %v", "127.0.0.1:8080", "203.0.113.9:40000", "timeout")
	l.Printf("error from %s and %s", "[2001:db8::1]:5555", "2001:db8:0:0:1:0:0:1")
	for _, addr := range []string{"127.0.0.1", "203.0.113.9", "2001:db8"} {
		if strings.Contains(logs.String(), addr) {
			t.Errorf("log line keeps %s:\n%s", addr, logs)
		}
	}
	if !strings.Contains(logs.String(), "timeout") {
		t.Errorf("log line lost its message:\n%s", logs)
	}
}
