package iamapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAUsersTagsArePagedByMaxItems(t *testing.T) {
	a := newUserAPI(t)
	var tags []types.Tag
	for _, k := range []string{"a", "b", "c"} {
		tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String("v")})
	}
	_, err := a.admin.CreateUser(a.ctx, &sdk.CreateUserInput{UserName: aws.String("alice"), Tags: tags})
	must(t, err)
	first, err := a.admin.ListUserTags(a.ctx, &sdk.ListUserTagsInput{UserName: aws.String("alice"), MaxItems: aws.Int32(2)})
	must(t, err)
	if len(first.Tags) != 2 || !first.IsTruncated || first.Marker == nil {
		t.Fatalf("first page = %d tags, truncated %v, want 2 and a Marker", len(first.Tags), first.IsTruncated)
	}
	rest, err := a.admin.ListUserTags(a.ctx, &sdk.ListUserTagsInput{UserName: aws.String("alice"), Marker: first.Marker})
	must(t, err)
	if len(rest.Tags) != 1 || rest.IsTruncated || *rest.Tags[0].Key != "c" {
		t.Errorf("second page = %+v, truncated %v, want the tag c alone", rest.Tags, rest.IsTruncated)
	}
}
