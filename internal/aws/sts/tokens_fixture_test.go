package sts_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

// root bootstraps the organization and returns a client signing with the
// management account's root key.
func (s *server) root(t *testing.T) *sdk.Client {
	t.Helper()
	key, secret := s.auth.NewRootKey(mgmt)
	now := time.Now()
	_, _, err := s.db.Bootstrap(s.ctx, store.Bootstrap{
		Organization:      ic.Organization{ID: "o-exampleorg1", ManagementAccountID: mgmt, ManagementEmail: "m@example.com", CreatedAt: now},
		ManagementAccount: ic.Account{ID: mgmt, Name: "Management", Email: "m@example.com", Status: ic.AccountActive, JoinedMethod: ic.JoinedCreated, JoinedAt: now},
		Instance:          ic.Instance{ID: "ssoins-0123456789abcdef", IdentityStoreID: "d-0123456789", OwnerAccountID: mgmt, Name: "keyward", CreatedAt: now},
		RootKey:           key})
	must(t, err)
	return s.client(aws.Credentials{AccessKeyID: key.ID, SecretAccessKey: secret})
}

// user creates an IAM user in the member account and returns it with a
// client signing with its new access key.
func (s *server) user(t *testing.T, name string) (iam.User, *sdk.Client) {
	t.Helper()
	u := iam.User{AccountID: member, ID: iam.NewUserID(clock.Random), Name: name, Path: "/eng/", CreatedAt: time.Now()}
	must(t, s.db.CreateIAMUser(s.ctx, u))
	k, secret := s.auth.NewUserKey(member, u.ID)
	must(t, s.db.CreateIAMAccessKey(s.ctx, k))
	return u, s.client(aws.Credentials{AccessKeyID: k.ID, SecretAccessKey: secret})
}

// mfa assigns a new virtual MFA device to u and returns its serial and seed.
func (s *server) mfa(t *testing.T, u iam.User, name string) (string, []byte) {
	t.Helper()
	seed := clock.Bytes(clock.Random, 20)
	d := iam.VirtualMFADevice{AccountID: member, Path: "/", Name: name, UserID: u.ID, EnableDate: time.Now(), CreatedAt: time.Now()}
	d.SealedSeed = s.auth.SealMFASeed(d.SerialNumber(), seed)
	must(t, s.db.CreateIAMMFADevice(s.ctx, d))
	return d.SerialNumber(), seed
}

// code is the device's current code.
func code(seed []byte) *string { return aws.String(totp.Code(seed, time.Now())) }

// using is a client signing with issued temporary credentials.
func (s *server) using(c *types.Credentials) *sdk.Client {
	return s.client(aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken)})
}
