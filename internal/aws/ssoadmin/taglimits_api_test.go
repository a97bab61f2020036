package ssoadmin_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// Tags keep the service model's limits as AWS applies them: a key of 1 to
// 128 characters and a value of at most 256, counted in characters (not
// UTF-8 bytes), both of letters, digits, spaces and _.:/=+-@ only.
func TestTagsKeepTheModelsLimitsInCharacters(t *testing.T) {
	s := newServer(t)
	ps := s.createPS(t, "Tagged")
	tag := func(k, v string) error {
		_, err := s.admin.TagResource(s.ctx, &sdk.TagResourceInput{InstanceArn: s.inst, ResourceArn: ps,
			Tags: []types.Tag{{Key: aws.String(k), Value: aws.String(v)}}})
		return err
	}
	t.Run("a 128-character key and a 256-character value of non-ASCII letters are accepted", func(t *testing.T) {
		must(t, tag(strings.Repeat("é", 128), strings.Repeat("界", 256)))
		_, err := s.admin.CreatePermissionSet(s.ctx, &sdk.CreatePermissionSetInput{InstanceArn: s.inst, Name: aws.String("Zurich"),
			Tags: []types.Tag{{Key: aws.String("Kostenstelle-Zürich"), Value: aws.String("Straße 5")}}})
		must(t, err)
	})
	for _, c := range []struct{ what, key, value string }{
		{"a 129-character key", strings.Repeat("é", 129), "v"},
		{"a 257-character value", "k", strings.Repeat("界", 257)},
		{"a key with a character outside the pattern", "team;drop", "v"},
		{"a value with a control character", "team", "a\x00b"},
	} {
		t.Run(c.what+" is refused", func(t *testing.T) {
			refused(t, tag(c.key, c.value), validation("tag"))
		})
	}
	out, err := s.admin.ListTagsForResource(s.ctx, &sdk.ListTagsForResourceInput{InstanceArn: s.inst, ResourceArn: ps})
	must(t, err)
	if len(out.Tags) != 1 {
		t.Errorf("the permission set holds %d tags, want only the accepted one", len(out.Tags))
	}
}
