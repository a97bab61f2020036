package sts_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/keyward/keyward/internal/aws/sts"
)

// STS's model bounds a session tag's key to 128 characters and its value
// to 256, of letters, digits, spaces and _.:/=+-@ in any script: a
// department named in Japanese fits, a value with < or ; does not.
func TestSessionTagsAreCountedInCharactersOfTheModelsAlphabet(t *testing.T) {
	s := newServer(t)
	s.role(t, "Tagged", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/Deployer"},
		"Action":["sts:AssumeRole","sts:TagSession"]}}`, 3600)
	c := s.as(t, "Deployer")
	assume := func(key, value string) error {
		_, err := c.AssumeRole(s.ctx, &sdk.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/Tagged"),
			RoleSessionName: aws.String("s1"), Tags: []types.Tag{{Key: aws.String(key), Value: aws.String(value)}}})
		return err
	}

	long := strings.Repeat("開発", 100) // 200 characters, 600 bytes
	if err := assume(strings.Repeat("部", 128), long); err != nil {
		t.Errorf("a 128-character key with a 200-character value: %v, want a session", err)
	}
	refused(t, assume("dept", long+strings.Repeat("x", 57)), "ValidationError", "256")
	refused(t, assume(strings.Repeat("k", 129), "v"), "ValidationError", "128")
	for _, bad := range []struct{ key, value string }{{"dept", "a<b"}, {"dept", "x;y"}, {"de#pt", "v"}} {
		refused(t, assume(bad.key, bad.value), "ValidationError", "regular expression pattern")
	}
}

// The assertion's PrincipalTag attributes are held to the same limits.
func TestSAMLSessionTagsAreCountedInCharactersOfTheModelsAlphabet(t *testing.T) {
	s := newSAMLServer(t)
	long := strings.Repeat("開発", 100) // 200 characters, 600 bytes
	for _, c := range []struct{ key, value, refusal string }{
		{strings.Repeat("部", 128), long, ""},
		{"dept", long + strings.Repeat("x", 57), "InvalidIdentityToken"},
		{"dept", "a<b", "InvalidIdentityToken"},
	} {
		spec := s.spec()
		spec.Attributes[sts.AttrPrincipalTag+c.key] = []string{c.value}
		_, err := s.assume(readerARN, s.idp.Signed(t, spec))
		if c.refusal == "" {
			if err != nil {
				t.Errorf("tag %d characters = %d characters: %v, want a session", len([]rune(c.key)), len([]rune(c.value)), err)
			}
			continue
		}
		refused(t, err, c.refusal, "session tag")
	}
}
