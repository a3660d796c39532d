package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/klauspost/compress/zstd"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func TestValidateS3(t *testing.T) {
	t.Setenv(DefaultS3AccessKeyEnv, "access")
	t.Setenv(DefaultS3SecretKeyEnv, "secret")
	ok := S3Config{Endpoint: "minio.internal:9000", Bucket: "analytics", Prefix: "crumbless/prod"}
	for _, tc := range []struct {
		edit func(*S3Config)
		want string
	}{
		{func(c *S3Config) {}, ""},
		{func(c *S3Config) { *c = S3Config{} }, ""}, // off
		{func(c *S3Config) { c.Endpoint = "" }, "sinks.s3.endpoint: is empty; write the S3 server's host"},
		{func(c *S3Config) { c.Endpoint = "https://s3.amazonaws.com" }, "sinks.s3.endpoint: \"https://s3.amazonaws.com\" has a scheme"},
		{func(c *S3Config) { c.Endpoint = "s3.amazonaws.com/analytics" }, "sinks.s3.endpoint: \"s3.amazonaws.com/analytics\" is not a host"},
		{func(c *S3Config) { c.Bucket = "" }, "sinks.s3.bucket: \"\" is not an S3 bucket name"},
		{func(c *S3Config) { c.Bucket = "Analytics_2026" }, "sinks.s3.bucket: \"Analytics_2026\" is not an S3 bucket name"},
		{func(c *S3Config) { c.Prefix = "/crumbless/" }, "sinks.s3.prefix: \"/crumbless/\" has a slash at an end"},
		{func(c *S3Config) { c.AccessKeyEnv = "AKIA123 secret" }, "sinks.s3.access_key_env: \"AKIA123 secret\" is not an environment variable name"},
		{func(c *S3Config) { c.SecretKeyEnv = "CRUMBLESS_TEST_UNSET_S3_SECRET" }, "sinks.s3.secret_key_env: the environment variable CRUMBLESS_TEST_UNSET_S3_SECRET is not set"},
		{func(c *S3Config) { c.PartSize = 1 << 20 }, "sinks.s3.part_size: 1048576 bytes is outside what S3 allows"},
		{func(c *S3Config) { c.Batching.MaxBytes = -1 }, "sinks.s3.batching.max_bytes: -1 is negative"},
	} {
		cfg, _ := testConfig(t)
		cfg.Sinks.S3 = ok
		tc.edit(&cfg.Sinks.S3)
		err := cfg.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", cfg.Sinks.S3, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: %v, want %q", cfg.Sinks.S3, err, tc.want)
		}
	}
}

// TestS3Output runs a collector with sinks.s3 pointing at an in-process
// S3-compatible server: a pageview it accepts appears in the bucket, in
// the file sink's layout, once the batch's wait is over.
func TestS3Output(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("analytics"); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	defer s3.Close()
	u, err := url.Parse(s3.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEST_S3_ACCESS", "test-access")
	t.Setenv("TEST_S3_SECRET", "test-secret")
	plain := false
	cfg, _ := testConfig(t)
	cfg.Sinks.S3 = S3Config{Endpoint: u.Host, Bucket: "analytics", Prefix: "crumbless", Region: "us-east-1",
		AccessKeyEnv: "TEST_S3_ACCESS", SecretKeyEnv: "TEST_S3_SECRET", UseTLS: &plain,
		Batching: BatchingConfig{MaxWait: 50 * time.Millisecond}}
	srv := start(t, cfg)
	if resp := post(t, srv.url, batchBody(t, "example.com", 3), testOrigin); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /e: %s", resp.Status)
	}

	client, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4("test-access", "test-secret", ""), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for deadline := time.Now().Add(15 * time.Second); len(keys) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no object in the bucket 15s after the pageview")
		}
		for o := range client.ListObjects(t.Context(), "analytics", minio.ListObjectsOptions{Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			keys = append(keys, o.Key)
		}
	}
	layout := regexp.MustCompile(`^crumbless/events/site=example\.com/date=\d{4}-\d{2}-\d{2}/hour=\d{2}/` +
		`part-\d{8}T\d{6}-[0-9a-f]{8}-[0-9a-f]{16}-p\d+-\d+\.ndjson\.zst$`)
	if len(keys) != 1 || !layout.MatchString(keys[0]) {
		t.Fatalf("objects %q, want one in the layout", keys)
	}
	obj, err := client.GetObject(t.Context(), "analytics", keys[0], minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	zr, err := zstd.NewReader(obj)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	plainRows, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("decompressing %s: %v", keys[0], err)
	}
	var paths []string
	for sc := bufio.NewScanner(bytes.NewReader(plainRows)); sc.Scan(); {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: %v", keys[0], err)
		}
		paths = append(paths, row["path"].(string))
	}
	if strings.Join(paths, " ") != "/page/0 /page/1 /page/2" {
		t.Errorf("rows in %s have paths %q", keys[0], paths)
	}
	if bytes.Contains(plainRows, []byte("127.0.0.1")) || bytes.Contains(plainRows, []byte(testUA)) {
		t.Errorf("%s holds the client's address or User-Agent", keys[0])
	}
}
