package collector

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/crumbless/crumbless/collector/sink/s3sink"
)

// S3Config configures sinks.s3: the records uploaded to S3-compatible
// object storage (AWS S3, MinIO, R2, Ceph...) in the file sink's layout,
// PREFIX/events/site=S/date=D/hour=H/part-….ndjson.zst (and heatmaps/,
// consent/). It is on when bucket is set. The credentials come from two
// environment variables, never from the configuration file.
//
// Each batch becomes one object per kind, site and hour, so its batching
// defaults to large objects: max_bytes 64 MiB, max_wait 1m, max_records
// 65536. Delivery is at-least-once: after a restart some rows may be in
// two objects; readers deduplicate on event_id.
type S3Config struct {
	// Endpoint is the server's host and optional port, without scheme:
	// s3.eu-central-1.amazonaws.com, minio.internal:9000.
	Endpoint string `yaml:"endpoint"`
	// Bucket must exist already.
	Bucket string `yaml:"bucket"`
	// Prefix goes before every object name, like crumbless or
	// analytics/prod; "" is the bucket's root.
	Prefix string `yaml:"prefix"`
	// Region is the bucket's region; "" asks the server.
	Region string `yaml:"region"`
	// AccessKeyEnv and SecretKeyEnv name the environment variables that
	// hold the credentials. Default CRUMBLESS_S3_ACCESS_KEY and
	// CRUMBLESS_S3_SECRET_KEY.
	AccessKeyEnv string `yaml:"access_key_env"`
	SecretKeyEnv string `yaml:"secret_key_env"`
	// UseTLS talks HTTPS; default true.
	UseTLS *bool `yaml:"use_tls"`
	// PartSize is the size of each part of a multipart upload, in bytes;
	// smaller objects go in one request. Default 16 MiB, 5 MiB to 5 GiB.
	PartSize int64 `yaml:"part_size"`
	// Batching tunes how records are grouped into objects.
	Batching BatchingConfig `yaml:"batching"`
}

// Defaults of S3Config.
const (
	DefaultS3AccessKeyEnv = "CRUMBLESS_S3_ACCESS_KEY"
	DefaultS3SecretKeyEnv = "CRUMBLESS_S3_SECRET_KEY"
	defaultS3MaxRecords   = 65536
	defaultS3MaxBytes     = 64 << 20
	defaultS3MaxWait      = time.Minute
)

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func (c S3Config) on() bool { return c.Bucket != "" || c.Endpoint != "" }

func (c S3Config) accessKeyEnv() string { return or(c.AccessKeyEnv, DefaultS3AccessKeyEnv) }
func (c S3Config) secretKeyEnv() string { return or(c.SecretKeyEnv, DefaultS3SecretKeyEnv) }

// validateS3 checks sinks.s3 when it is on, without ever quoting a key.
func validateS3(ps *problems, c S3Config) {
	if !c.on() {
		return
	}
	validateS3Endpoint(ps, c.Endpoint)
	if !bucketName.MatchString(c.Bucket) || strings.Contains(c.Bucket, "..") {
		ps.add("sinks.s3.bucket", "%q is not an S3 bucket name; write the bucket's name: 3 to 63 lower-case letters, digits, dots and dashes", c.Bucket)
	}
	if strings.HasPrefix(c.Prefix, "/") || strings.HasSuffix(c.Prefix, "/") || strings.Contains(c.Prefix, "//") {
		ps.add("sinks.s3.prefix", "%q has a slash at an end or two in a row; write it like crumbless or analytics/prod", c.Prefix)
	}
	validateKeyEnv(ps, "sinks.s3.access_key_env", c.AccessKeyEnv, c.accessKeyEnv(), "access key")
	validateKeyEnv(ps, "sinks.s3.secret_key_env", c.SecretKeyEnv, c.secretKeyEnv(), "secret key")
	if c.PartSize != 0 && (c.PartSize < s3sink.MinPartSize || c.PartSize > s3sink.MaxPartSize) {
		ps.add("sinks.s3.part_size", "%d bytes is outside what S3 allows; write 5242880 (5 MiB) to 5368709120 (5 GiB), or leave it out for 16 MiB", c.PartSize)
	}
	validateBatching(ps, "sinks.s3.batching", c.Batching)
}

func validateS3Endpoint(ps *problems, e string) {
	switch {
	case e == "":
		ps.add("sinks.s3.endpoint", "is empty; write the S3 server's host, like s3.eu-central-1.amazonaws.com or minio.internal:9000")
	case strings.Contains(e, "://"):
		ps.add("sinks.s3.endpoint", "%q has a scheme; write only the host and port, and use_tls: false for plain HTTP", e)
	case strings.ContainsAny(e, "/?# "):
		ps.add("sinks.s3.endpoint", "%q is not a host; write only the host and port, like minio.internal:9000; the bucket goes in bucket and the path in prefix", e)
	}
}

// validateKeyEnv checks that a credential's variable is named well and set.
func validateKeyEnv(ps *problems, path, given, name, what string) {
	if given != "" && !envName.MatchString(given) {
		ps.add(path, "%q is not an environment variable name; write the name of the variable that holds the %s, never the key itself", given, what)
		return
	}
	if os.Getenv(name) == "" {
		ps.add(path, "the environment variable %s is not set; set it to the %s of an S3 user that may write to the bucket", name, what)
	}
}

// openS3 returns the S3 output, or nil when sinks.s3 is off.
func (s *Server) openS3() (*output, error) {
	c := s.cfg.Sinks.S3
	if !c.on() {
		return nil, nil
	}
	sk, err := s3sink.New(s3sink.Config{
		Endpoint: c.Endpoint, Bucket: c.Bucket, Prefix: c.Prefix, Region: c.Region,
		AccessKey: os.Getenv(c.accessKeyEnv()), SecretKey: os.Getenv(c.secretKeyEnv()),
		Insecure: c.UseTLS != nil && !*c.UseTLS, PartSize: uint64(c.PartSize), Logger: s.log,
	})
	if err != nil {
		return nil, fmt.Errorf("opening sinks.s3: %w", err)
	}
	b := c.Batching
	b.MaxRecords = or(b.MaxRecords, defaultS3MaxRecords)
	b.MaxBytes = or(b.MaxBytes, defaultS3MaxBytes)
	b.MaxWait = or(b.MaxWait, defaultS3MaxWait)
	return &output{name: "s3", sink: sk, batching: b}, nil
}
