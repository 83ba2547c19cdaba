package miniotest

import (
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func credentialsFor(user, password string) *credentials.Credentials {
	return credentials.NewStaticV4(user, password, "")
}

func makeBucketOptions() minio.MakeBucketOptions { return minio.MakeBucketOptions{} }
