package sso

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
)

// Role is one role a person may take in one account.
type Role struct {
	AccountID   string
	AccountName string
	RoleName    string
}

// Credentials are short-lived role credentials.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// Roles lists every role the person may take, account by account, as the
// portal answers now.
func (c *Client) Roles(ctx context.Context) ([]Role, error) {
	t, err := c.AccessToken(ctx)
	if err != nil {
		return nil, err
	}
	var roles []Role
	accounts := sso.NewListAccountsPaginator(c.portal, &sso.ListAccountsInput{AccessToken: &t.AccessToken})
	for accounts.HasMorePages() {
		page, err := accounts.NextPage(ctx)
		if err != nil {
			return nil, c.explain(err)
		}
		for _, a := range page.AccountList {
			rs, err := c.accountRoles(ctx, t, aws.ToString(a.AccountId), aws.ToString(a.AccountName))
			if err != nil {
				return nil, err
			}
			roles = append(roles, rs...)
		}
	}
	return roles, nil
}

func (c *Client) accountRoles(ctx context.Context, t Token, id, name string) ([]Role, error) {
	var roles []Role
	p := sso.NewListAccountRolesPaginator(c.portal, &sso.ListAccountRolesInput{AccessToken: &t.AccessToken, AccountId: &id})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.explain(err)
		}
		for _, r := range page.RoleList {
			roles = append(roles, Role{AccountID: id, AccountName: name, RoleName: aws.ToString(r.RoleName)})
		}
	}
	return roles, nil
}

// RoleCredentials returns credentials for r. A role the person lost is a
// *LostAccessError.
func (c *Client) RoleCredentials(ctx context.Context, r Role) (Credentials, error) {
	t, err := c.AccessToken(ctx)
	if err != nil {
		return Credentials{}, err
	}
	out, err := c.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{AccessToken: &t.AccessToken,
		AccountId: &r.AccountID, RoleName: &r.RoleName})
	if err != nil {
		return Credentials{}, c.explainRole(err, r)
	}
	rc := out.RoleCredentials
	return Credentials{AccessKeyID: aws.ToString(rc.AccessKeyId), SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken: aws.ToString(rc.SessionToken), Expiration: time.UnixMilli(rc.Expiration).UTC()}, nil
}
