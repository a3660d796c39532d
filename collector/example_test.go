package collector_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/crumbless/crumbless/collector"
	"github.com/crumbless/crumbless/sdk"
)

// Example starts a collector in-process on a port the OS picks, sends it a
// batch, shuts it down and lists the file it wrote.
func Example() {
	data, _ := os.MkdirTemp("", "crumbless-example-")
	defer os.RemoveAll(data)
	srv, err := collector.New(collector.Config{
		DataDir: data,
		Sites:   []collector.SiteConfig{{ID: "example.com", Origins: []string{"https://example.com"}}},
		Assets: []sdk.Asset{ // nil serves the tracker built into the binary
			{Name: "crumbless.js", ContentType: "text/javascript", Body: []byte("/* loader */")},
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String()

	req, _ := http.NewRequest("POST", url+"/e", strings.NewReader(
		`{"v":1,"site":"example.com","sent_at":1,"events":[{"id":"e1","type":"pageview","ts":1,"path":"/"}]}`))
	req.Header.Set("Origin", "https://example.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	_ = srv.Shutdown(context.Background()) // completes and renames the open file
	files, _ := filepath.Glob(filepath.Join(data, "events", "site=example.com", "*", "*", "*.ndjson.zst"))
	fmt.Println(len(files), "file")
	// Output:
	// 202 Accepted
	// 1 file
}
