package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// TestEveryAWSFamilyReachesItsHandlerThroughTheProxy calls each service
// with aws-sdk-go-v2 at its default (real AWS) host name, through the
// HTTPS proxy mode, as aws-vault and granted do.
func TestEveryAWSFamilyReachesItsHandlerThroughTheProxy(t *testing.T) {
	s := startTLS(t)
	cfg := s.adminConfig()
	cfg.BaseEndpoint, cfg.HTTPClient = nil, s.oktaAWSCLIClient()
	ctx := context.Background()

	t.Run("SSO-OIDC at oidc.us-east-1.amazonaws.com registers a client", func(t *testing.T) {
		out, err := ssooidc.NewFromConfig(cfg).RegisterClient(ctx, &ssooidc.RegisterClientInput{
			ClientName: aws.String("through-the-proxy"), ClientType: aws.String("public")})
		must(t, err)
		if aws.ToString(out.ClientId) == "" {
			t.Error("RegisterClient answered no client id")
		}
	})
	t.Run("the portal API at portal.sso.us-east-1.amazonaws.com refuses an unknown token as AWS does", func(t *testing.T) {
		_, err := sso.NewFromConfig(cfg).ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: aws.String("not-a-token")})
		var unauthorized *ssotypes.UnauthorizedException
		if !errors.As(err, &unauthorized) {
			t.Errorf("ListAccounts with a bad token: %v, want UnauthorizedException", err)
		}
	})
	var storeID string
	t.Run("SSO Admin at sso.us-east-1.amazonaws.com lists the instance", func(t *testing.T) {
		out, err := ssoadmin.NewFromConfig(cfg).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		must(t, err)
		if len(out.Instances) != 1 {
			t.Fatalf("ListInstances answered %d instances, want 1", len(out.Instances))
		}
		storeID = aws.ToString(out.Instances[0].IdentityStoreId)
	})
	t.Run("the identity store at identitystore.us-east-1.amazonaws.com lists its users", func(t *testing.T) {
		_, err := identitystore.NewFromConfig(cfg).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(storeID)})
		must(t, err)
	})
	t.Run("Organizations at organizations.us-east-1.amazonaws.com describes the organization", func(t *testing.T) {
		out, err := organizations.NewFromConfig(cfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		must(t, err)
		if out.Organization == nil || aws.ToString(out.Organization.Id) == "" {
			t.Error("DescribeOrganization answered no organization")
		}
	})
	t.Run("IAM at iam.amazonaws.com lists roles", func(t *testing.T) {
		_, err := iam.NewFromConfig(cfg).ListRoles(ctx, &iam.ListRolesInput{})
		must(t, err)
	})
}
