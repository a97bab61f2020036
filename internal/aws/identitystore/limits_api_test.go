package identitystore_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"
)

// An ExternalId is looked up only within the model's limits (Issuer 1-100
// characters, not arn: or aws:, Id 1-256): beyond them GetUserId and
// GetGroupId answer AWS's ValidationException, not a store error.
func TestExternalIDLookupsKeepTheModelsLimits(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		what string
		x    types.ExternalId
		msg  string
	}{
		{"a 257-character id", types.ExternalId{Issuer: aws.String("okta"), Id: aws.String(strings.Repeat("界", 257))},
			"Value at 'alternateIdentifier.externalId.id' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"a 101-character issuer", types.ExternalId{Issuer: aws.String(strings.Repeat("i", 101)), Id: aws.String("1")},
			"Value at 'alternateIdentifier.externalId.issuer' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"an aws: issuer", types.ExternalId{Issuer: aws.String("aws:sso"), Id: aws.String("1")},
			"Value at 'alternateIdentifier.externalId.issuer' failed to satisfy constraint: Member must satisfy regular expression pattern"},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			alt := &types.AlternateIdentifierMemberExternalId{Value: c.x}
			_, err := s.admin.GetUserId(s.ctx, &sdk.GetUserIdInput{IdentityStoreId: s.storeID, AlternateIdentifier: alt})
			refused(t, err, "ValidationException", c.msg)
			_, err = s.admin.GetGroupId(s.ctx, &sdk.GetGroupIdInput{IdentityStoreId: s.storeID, AlternateIdentifier: alt})
			refused(t, err, "ValidationException", c.msg)
		})
	}
	t.Run("within them, an unknown id is not found", func(t *testing.T) {
		alt := &types.AlternateIdentifierMemberExternalId{Value: types.ExternalId{
			Issuer: aws.String(strings.Repeat("i", 100)), Id: aws.String(strings.Repeat("界", 256))}}
		_, err := s.admin.GetUserId(s.ctx, &sdk.GetUserIdInput{IdentityStoreId: s.storeID, AlternateIdentifier: alt})
		refused(t, err, "ResourceNotFoundException", "USER not found.")
	})
}

// A user's email (SensitiveStringType: at most 1024 characters) is bounded
// like the other fields; a longer one is refused and nothing is created.
func TestCreateUserRefusesAnEmailOver1024Characters(t *testing.T) {
	s := newServer(t)
	long := strings.Repeat("é", 1020) + "@x.io"
	_, err := s.admin.CreateUser(s.ctx, &sdk.CreateUserInput{IdentityStoreId: s.storeID, UserName: aws.String("carol"),
		DisplayName: aws.String("Carol"), Name: &types.Name{GivenName: aws.String("Carol"), FamilyName: aws.String("X")},
		Emails: []types.Email{{Value: aws.String(long), Primary: true}}})
	refused(t, err, "ValidationException", "emails.value")
	if _, err := s.db.UserByName(s.ctx, "carol"); err == nil {
		t.Error("the refused call created the user")
	}
}
