package s3sink

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/minio/minio-go/v7"
)

// uploadAll uploads objs, a few at a time, and returns every failure.
func (s *Sink) uploadAll(ctx context.Context, objs []object) error {
	errs := make([]error, len(objs))
	sem := make(chan struct{}, uploadsAtOnce)
	var wg sync.WaitGroup
	for i := range objs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = s.upload(ctx, &objs[i])
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// upload stores o, in parts when it is larger than the part size, with a
// Content-MD5 on each request for the server to check, then checks that
// the server holds the object whole.
func (s *Sink) upload(ctx context.Context, o *object) error {
	size := int64(len(o.body))
	_, err := s.client.PutObject(ctx, s.cfg.Bucket, o.key, bytes.NewReader(o.body), size, minio.PutObjectOptions{
		// Not Content-Encoding: zstd, which would have HTTP clients
		// decompress what readers expect as a .zst file.
		ContentType:    "application/zstd",
		PartSize:       s.cfg.PartSize,
		SendContentMd5: true,
	})
	if err != nil {
		return fmt.Errorf("uploading %s to S3 bucket %q: %w", o.key, s.cfg.Bucket, err)
	}
	return s.verify(ctx, o)
}

// verify asks the server for o's size: a server or proxy that took the
// upload but stored something else is caught here rather than by a reader.
func (s *Sink) verify(ctx context.Context, o *object) error {
	info, err := s.client.StatObject(ctx, s.cfg.Bucket, o.key, minio.StatObjectOptions{})
	if err != nil {
		return fmt.Errorf("checking %s in S3 bucket %q after the upload: %w", o.key, s.cfg.Bucket, err)
	}
	if info.Size != int64(len(o.body)) {
		return fmt.Errorf("checking %s in S3 bucket %q after the upload: the server holds %d bytes, %d were sent",
			o.key, s.cfg.Bucket, info.Size, len(o.body))
	}
	return nil
}
