// Package assets serves the tracker's files, the loader crumbless.js and
// the content-hashed tracker module, from memory. Brotli and gzip variants
// are compressed once, at start-up, and chosen per request by
// Accept-Encoding. The loader is cached briefly and revalidated by ETag;
// hashed files are cached for a year as immutable. Every response allows
// any origin, since the script tag usually sits on another origin and
// WebAssembly.instantiateStreaming fetches the module with CORS.
//
// It must not import collector or any other collector/<x> package.
package assets

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"

	"github.com/crumbless/crumbless/sdk"
)

// Cache-Control values.
const (
	ShortCache     = "public, max-age=300"
	ImmutableCache = "public, max-age=31536000, immutable"
)

// Handler serves a fixed set of assets. It is read-only after New, so it
// is safe for concurrent use.
type Handler struct {
	byPath map[string]*asset
}

// asset is one file in its encodings; identity is always present.
type asset struct {
	contentType  string
	cacheControl string
	identity     variant
	gzip, brotli *variant // nil when compression does not make it smaller
}

type variant struct {
	body []byte
	etag string // quoted, different per encoding
}

// New compresses the assets and indexes them by URL path ("/" + Name).
func New(list []sdk.Asset) (*Handler, error) {
	h := &Handler{byPath: make(map[string]*asset, len(list))}
	for _, a := range list {
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\") {
			return nil, fmt.Errorf("serving asset %q: name must be a plain file name", a.Name)
		}
		if _, dup := h.byPath["/"+a.Name]; dup {
			return nil, fmt.Errorf("serving asset %q: listed twice", a.Name)
		}
		prepared, err := prepare(a)
		if err != nil {
			return nil, fmt.Errorf("serving asset %q: %w", a.Name, err)
		}
		h.byPath["/"+a.Name] = prepared
	}
	return h, nil
}

func prepare(a sdk.Asset) (*asset, error) {
	if a.ContentType == "" {
		return nil, errors.New("no content type")
	}
	out := &asset{contentType: a.ContentType, cacheControl: ShortCache}
	if a.Immutable {
		out.cacheControl = ImmutableCache
	}
	tag := strconv.FormatUint(xxhash.Sum64(a.Body), 16)
	out.identity = variant{body: a.Body, etag: `"` + tag + `"`}
	gz, err := gzipped(a.Body)
	if err != nil {
		return nil, err
	}
	br, err := brotlied(a.Body)
	if err != nil {
		return nil, err
	}
	out.gzip = smaller(gz, len(a.Body), `"`+tag+`-gz"`)
	out.brotli = smaller(br, len(a.Body), `"`+tag+`-br"`)
	return out, nil
}

// smaller returns a variant of body if it is smaller than the original.
func smaller(body []byte, original int, etag string) *variant {
	if len(body) >= original {
		return nil
	}
	return &variant{body: body, etag: etag}
}

func gzipped(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if _, err := zw.Write(b); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

func brotlied(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := bw.Write(b); err != nil {
		return nil, fmt.Errorf("brotli: %w", err)
	}
	if err := bw.Close(); err != nil {
		return nil, fmt.Errorf("brotli: %w", err)
	}
	return buf.Bytes(), nil
}

// Paths returns the URL paths served, sorted.
func (h *Handler) Paths() []string {
	paths := make([]string, 0, len(h.byPath))
	for p := range h.byPath {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
