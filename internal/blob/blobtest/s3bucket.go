package blobtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/instamern/gram/internal/blob"
)

// PublicBucket creates c.Bucket if needed and gives it a policy that lets
// anyone GetObject, the way a public bucket (or a CDN origin) is set up in
// production. It uses the plain SDK and the AWS credential chain: this is
// test setup, not store behaviour (the store itself sets no ACL).
func PublicBucket(t testing.TB, c blob.S3Config) {
	t.Helper()
	ctx := t.Context()
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(c.Region))
	if err != nil {
		t.Fatalf("AWS config: %v", err)
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(c.Endpoint)
		o.UsePathStyle = c.ForcePathStyle
	})
	_, err = client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(c.Bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		t.Fatalf("CreateBucket(%s): %v", c.Bucket, err)
	}
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",`+
		`"Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::%s/*"]}]}`, c.Bucket)
	_, err = client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(c.Bucket), Policy: aws.String(policy)})
	if err != nil {
		t.Fatalf("PutBucketPolicy(%s): %v", c.Bucket, err)
	}
}
