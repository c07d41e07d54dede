package blob

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/instamern/gram/internal/gram"
)

// maxDeleteBatch is the most keys one DeleteObjects request accepts.
const maxDeleteBatch = 1000

// Get's timeout covers the call until the body starts, not the body read,
// which runs under the caller's ctx: a slow client streaming a large image
// through the proxy must not be cut off by the call timeout.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, gram.BlobInfo, error) {
	if err := checkKey(key); err != nil {
		return nil, gram.BlobInfo{}, err
	}
	ctx, cancelCause := context.WithCancelCause(ctx)
	cancel := func() { cancelCause(nil) }
	timer := time.AfterFunc(s.cfg.CallTimeout, func() { cancelCause(context.DeadlineExceeded) })
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.cfg.Bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	stopped := timer.Stop()
	if err != nil || !stopped {
		cancel()
		if err == nil {
			out.Body.Close()
			err = context.DeadlineExceeded
		}
		return nil, gram.BlobInfo{}, s.fail(ctx, "get", key, err)
	}
	info := gram.BlobInfo{
		Key:          key,
		Size:         aws.ToInt64(out.ContentLength),
		ContentType:  aws.ToString(out.ContentType),
		LastModified: aws.ToTime(out.LastModified),
	}
	return cancelOnClose{out.Body, cancel}, info, nil
}

// cancelOnClose releases Get's context when the caller closes the body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func (s *S3) Head(ctx context.Context, key string) (gram.BlobInfo, error) {
	if err := checkKey(key); err != nil {
		return gram.BlobInfo{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(s.cfg.Bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		return gram.BlobInfo{}, s.fail(ctx, "head", key, err)
	}
	return gram.BlobInfo{
		Key:          key,
		Size:         aws.ToInt64(out.ContentLength),
		ContentType:  aws.ToString(out.ContentType),
		LastModified: aws.ToTime(out.LastModified),
	}, nil
}

// Delete relies on S3 answering 204 for a missing key.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{
		Bucket: aws.String(s.cfg.Bucket),
		Key:    aws.String(s.objectKey(key)),
	})
	if err != nil {
		return s.fail(ctx, "delete", key, err)
	}
	return nil
}

// DeletePrefix lists the prefix page by page (up to 1000 keys a page) and
// deletes each page with one DeleteObjects request. It stops at the first
// failure; calling it again resumes where it stopped.
func (s *S3) DeletePrefix(ctx context.Context, prefix string) error {
	if err := checkDeletePrefix(prefix); err != nil {
		return err
	}
	return s.eachPage(ctx, prefix, func(objs []types.Object) error {
		ids := make([]types.ObjectIdentifier, len(objs))
		for i, o := range objs {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		return s.deleteBatch(ctx, prefix, ids)
	})
}

func (s *S3) deleteBatch(ctx context.Context, prefix string, ids []types.ObjectIdentifier) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String(s.cfg.Bucket),
		Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
	})
	if err != nil {
		return s.fail(ctx, "delete prefix", prefix, err)
	}
	if len(out.Errors) > 0 {
		e := out.Errors[0]
		err := fmt.Errorf("%d keys not deleted, first %q: %s %s",
			len(out.Errors), aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message))
		return s.fail(ctx, "delete prefix", prefix, err)
	}
	return nil
}

func (s *S3) List(ctx context.Context, prefix string) ([]gram.BlobInfo, error) {
	if err := checkListPrefix(prefix); err != nil {
		return nil, err
	}
	var out []gram.BlobInfo
	err := s.eachPage(ctx, prefix, func(objs []types.Object) error {
		for _, o := range objs {
			out = append(out, gram.BlobInfo{
				Key:          strings.TrimPrefix(aws.ToString(o.Key), s.cfg.Prefix),
				Size:         aws.ToInt64(o.Size),
				LastModified: aws.ToTime(o.LastModified),
				// ListObjectsV2 carries no content type; Head has it.
			})
		}
		return nil
	})
	return out, err
}

// eachPage calls fn with each non-empty page of objects under prefix, in
// key order. Each page request gets its own timeout.
func (s *S3) eachPage(ctx context.Context, prefix string, fn func([]types.Object) error) error {
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket:  aws.String(s.cfg.Bucket),
		Prefix:  aws.String(s.objectKey(prefix)),
		MaxKeys: aws.Int32(maxDeleteBatch),
	})
	for p.HasMorePages() {
		page, err := s.nextPage(ctx, p)
		if err != nil {
			return s.fail(ctx, "list", prefix, err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		if err := fn(page.Contents); err != nil {
			return err
		}
	}
	return nil
}

func (s *S3) nextPage(ctx context.Context, p *s3.ListObjectsV2Paginator) (*s3.ListObjectsV2Output, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	return p.NextPage(ctx)
}
