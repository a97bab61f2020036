package portal_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"

	"github.com/keyward/keyward/internal/aws/sdktest"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

// TestOnlyTokensForAccountAccessReachAccounts: Identity Center's portal
// answers 401 to a token registered for other scopes only (an IDE
// extension's, fwdcloudsec/granted#940), while tokens registered with
// sso:account:access, with granted's default sso-portal:*, or with no
// scopes at all (the legacy profile) reach the accounts. Signing out works
// for any live token.
func TestOnlyTokensForAccountAccessReachAccounts(t *testing.T) {
	f := newABACFixture(t)
	mux := http.NewServeMux()
	f.svc.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), Retryer: sdktest.Retryer()})
	token := func(scopes ...string) *string {
		bearer := "bearer-" + strings.Join(scopes, "+")
		now := time.Now().UTC()
		must(t, f.db.CreateToken(f.ctx, ic.Token{AccessHash: keys.HashSecret(bearer), RefreshHash: keys.HashSecret("refresh-" + bearer),
			FamilyID: "family-" + bearer, UserID: f.user.ID, ClientID: "client", Scopes: scopes, CreatedAt: now,
			ExpiresAt: now.Add(time.Hour), RefreshExpiresAt: now.Add(time.Hour)}))
		return aws.String(bearer)
	}
	for _, scopes := range [][]string{nil, {"sso:account:access"}, {"sso-portal:*"}, {"codewhisperer:completions", "sso:account:access"}} {
		tok := token(scopes...)
		accts, err := client.ListAccounts(f.ctx, &sso.ListAccountsInput{AccessToken: tok})
		if err != nil || len(accts.AccountList) != 1 {
			t.Errorf("ListAccounts with a token for %q: %v, %d accounts; want the one assigned", scopes, err, len(accts.AccountList))
		}
	}

	ide := token("codewhisperer:completions", "codewhisperer:analysis")
	for name, call := range map[string]func() error{
		"ListAccounts": func() error {
			_, err := client.ListAccounts(f.ctx, &sso.ListAccountsInput{AccessToken: ide})
			return err
		},
		"ListAccountRoles": func() error {
			_, err := client.ListAccountRoles(f.ctx, &sso.ListAccountRolesInput{AccessToken: ide, AccountId: aws.String(f.account)})
			return err
		},
		"GetRoleCredentials": func() error {
			_, err := client.GetRoleCredentials(f.ctx, &sso.GetRoleCredentialsInput{AccessToken: ide,
				AccountId: aws.String(f.account), RoleName: aws.String("Dev")})
			return err
		},
	} {
		var unauthorized *ssotypes.UnauthorizedException
		if err := call(); !errors.As(err, &unauthorized) {
			t.Errorf("%s with a token for other scopes: %v, want UnauthorizedException", name, err)
		}
	}
	if _, err := client.Logout(f.ctx, &sso.LogoutInput{AccessToken: ide}); err != nil {
		t.Errorf("Logout with a token for other scopes: %v", err)
	}
	if _, err := f.db.TokenByAccess(f.ctx, keys.HashSecret(*ide)); err == nil {
		t.Error("the signed-out token is still stored")
	}
}
