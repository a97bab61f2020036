package sts_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/authn/totp"
	"github.com/keyward/keyward/internal/aws/awsauth"
)

// identity is what GetCallerIdentity answers for c.
func (s *server) identity(t *testing.T, c *sdk.Client) [3]string {
	t.Helper()
	id, err := c.GetCallerIdentity(s.ctx, &sdk.GetCallerIdentityInput{})
	must(t, err)
	return [3]string{aws.ToString(id.Arn), aws.ToString(id.UserId), aws.ToString(id.Account)}
}

func TestGetSessionTokenActsAsTheSameUserAndCarriesMFA(t *testing.T) {
	s := newServer(t)
	u, alice := s.user(t, "alice")
	serial, seed := s.mfa(t, u, "alice-phone")
	c := code(seed)
	out, err := alice.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{SerialNumber: &serial, TokenCode: c, DurationSeconds: aws.Int32(900)})
	must(t, err)
	if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left > 15*time.Minute || left < 14*time.Minute {
		t.Errorf("the session lasts %s, want the 15 minutes asked", left)
	}
	want := [3]string{"arn:aws:iam::222222222222:user/eng/alice", u.ID, member}
	if got := s.identity(t, s.using(out.Credentials)); got != want {
		t.Errorf("GetCallerIdentity = %v, want %v", got, want)
	}
	p := s.opened(t, out.Credentials)
	if p.Type != awsauth.User || !p.Session.MFAPresent() || time.Since(p.Session.MFAAuthTime) > time.Minute {
		t.Errorf("the session is %s with MFA at %s, want the user with MFA just now", p.Type, p.Session.MFAAuthTime)
	}

	_, err = alice.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{SerialNumber: &serial, TokenCode: c})
	refused(t, err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	_, err = s.using(out.Credentials).GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{})
	refused(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")

	plain, err := alice.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{})
	must(t, err)
	if p := s.opened(t, plain.Credentials); p.Session.MFAPresent() || time.Until(p.Session.Expires) < 11*time.Hour {
		t.Errorf("without a code: MFA %v until %s, want no MFA for the default 12 hours", p.Session.MFAPresent(), p.Session.Expires)
	}
}

// Guessing a device's code by calling GetSessionToken over and over stops
// after five wrong codes: the right one is then refused just the same.
func TestGetSessionTokenStopsGuessedMFACodes(t *testing.T) {
	s := newServer(t)
	u, alice := s.user(t, "alice")
	serial, seed := s.mfa(t, u, "alice-phone")
	b, bob := s.user(t, "bob")
	bobSerial, bobSeed := s.mfa(t, b, "bob-phone")
	wrong := "000000"
	for _, d := range []time.Duration{-totp.Period, 0, totp.Period} {
		if totp.Code(seed, time.Now().Add(d)) == wrong {
			wrong = "111111"
		}
	}
	const denied = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	for range 5 {
		_, err := alice.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{SerialNumber: &serial, TokenCode: &wrong})
		refused(t, err, "AccessDenied", denied)
	}
	_, err := alice.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{SerialNumber: &serial, TokenCode: code(seed)})
	refused(t, err, "AccessDenied", denied)
	_, err = bob.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{SerialNumber: &bobSerial, TokenCode: code(bobSeed)})
	must(t, err)
}

func TestGetSessionTokenRefusesMFAThatIsNotTheCallers(t *testing.T) {
	s := newServer(t)
	_, alice := s.user(t, "alice")
	bob, _ := s.user(t, "bob")
	bobSerial, bobSeed := s.mfa(t, bob, "bob-phone")
	for _, tc := range []struct {
		name      string
		in        *sdk.GetSessionTokenInput
		code, msg string
	}{
		{"another user's device and code", &sdk.GetSessionTokenInput{SerialNumber: &bobSerial, TokenCode: code(bobSeed)},
			"AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{"an unknown device", &sdk.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::222222222222:mfa/nope"), TokenCode: aws.String("123456")},
			"AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{"a serial without a code", &sdk.GetSessionTokenInput{SerialNumber: &bobSerial},
			"AccessDenied", "must provide both MFA serial number and one time pass code"},
		{"a code of five digits", &sdk.GetSessionTokenInput{SerialNumber: &bobSerial, TokenCode: aws.String("12345")},
			"ValidationError", "tokenCode"},
		{"a duration over 36 hours", &sdk.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)},
			"ValidationError", "Member must have value between 900 and 129600"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := alice.GetSessionToken(s.ctx, tc.in)
			refused(t, err, tc.code, tc.msg)
		})
	}
}

func TestRootsTokensLastAtMostAnHour(t *testing.T) {
	s := newServer(t)
	root := s.root(t)
	out, err := root.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
	must(t, err)
	if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left > time.Hour {
		t.Errorf("root's session token lasts %s, want at most an hour", left)
	}
	if got, want := s.identity(t, s.using(out.Credentials)), [3]string{"arn:aws:iam::111111111111:root", mgmt, mgmt}; got != want {
		t.Errorf("GetCallerIdentity = %v, want %v", got, want)
	}
	fed, err := root.GetFederationToken(s.ctx, &sdk.GetFederationTokenInput{Name: aws.String("carol")})
	must(t, err)
	if left := time.Until(aws.ToTime(fed.Credentials.Expiration)); left > time.Hour {
		t.Errorf("root's federation token lasts %s, want at most an hour", left)
	}
}

func TestGetFederationTokenIssuesAFederatedUser(t *testing.T) {
	s := newServer(t)
	root := s.root(t)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	out, err := root.GetFederationToken(s.ctx, &sdk.GetFederationTokenInput{Name: aws.String("bob@example.com"), Policy: &policy,
		PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
		Tags:       []types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}})
	must(t, err)
	got := [2]string{aws.ToString(out.FederatedUser.Arn), aws.ToString(out.FederatedUser.FederatedUserId)}
	if want := [2]string{"arn:aws:sts::111111111111:federated-user/bob@example.com", "111111111111:bob@example.com"}; got != want {
		t.Errorf("FederatedUser = %v, want %v", got, want)
	}
	if out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 {
		t.Errorf("PackedPolicySize = %v, want a percentage", out.PackedPolicySize)
	}
	if got, want := s.identity(t, s.using(out.Credentials)), [3]string{got[0], got[1], mgmt}; got != want {
		t.Errorf("GetCallerIdentity = %v, want %v", got, want)
	}
	p := s.opened(t, out.Credentials)
	want := []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}
	if p.Type != awsauth.FederatedUser || p.Session.Policy != policy || !cmp.Equal(p.Session.PolicyARNs, want) || len(p.Session.Tags) != 1 {
		t.Errorf("the session is %s with %q, %v, %v", p.Type, p.Session.Policy, p.Session.PolicyARNs, p.Session.Tags)
	}
	sess, err := root.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{})
	must(t, err)
	_, err = s.using(sess.Credentials).GetFederationToken(s.ctx, &sdk.GetFederationTokenInput{Name: aws.String("again")})
	refused(t, err, "AccessDenied", "Cannot call GetFederationToken with session credentials")
}

func TestGetFederationTokenRefusesBadInput(t *testing.T) {
	s := newServer(t)
	root := s.root(t)
	eleven := make([]types.PolicyDescriptorType, 11)
	for i := range eleven {
		eleven[i].Arn = aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")
	}
	for _, tc := range []struct {
		name      string
		in        *sdk.GetFederationTokenInput
		code, msg string
	}{
		{"a one-letter name", &sdk.GetFederationTokenInput{Name: aws.String("b")}, "ValidationError", "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 32"},
		{"a name with a slash", &sdk.GetFederationTokenInput{Name: aws.String("a/b")}, "ValidationError", "name"},
		{"a malformed policy", &sdk.GetFederationTokenInput{Name: aws.String("bob"), Policy: aws.String("{")}, "MalformedPolicyDocument", ""},
		{"eleven policy ARNs", &sdk.GetFederationTokenInput{Name: aws.String("bob"), PolicyArns: eleven}, "ValidationError", "policyArns"},
		{"a duration under 15 minutes", &sdk.GetFederationTokenInput{Name: aws.String("bob"), DurationSeconds: aws.Int32(899)}, "ValidationError", "durationSeconds"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := root.GetFederationToken(s.ctx, tc.in)
			refused(t, err, tc.code, tc.msg)
		})
	}
}

func TestGetAccessKeyInfoNamesTheAccountOfEveryKeyKind(t *testing.T) {
	s := newServer(t)
	root := s.root(t)
	sess, err := root.GetSessionToken(s.ctx, &sdk.GetSessionTokenInput{})
	must(t, err)
	_, alice := s.user(t, "alice")
	aliceKey, err := alice.Options().Credentials.Retrieve(s.ctx)
	must(t, err)
	rootKey, err := root.Options().Credentials.Retrieve(s.ctx)
	must(t, err)
	for _, tc := range []struct{ name, id, account string }{
		{"a root key", rootKey.AccessKeyID, mgmt},
		{"an IAM user's key", aliceKey.AccessKeyID, member},
		{"a session's key", aws.ToString(sess.Credentials.AccessKeyId), mgmt},
		{"a key AWS issued (its documented example)", "ASIAY34FZKBOKMUTVV7A", "609629065308"},
	} {
		t.Run(tc.name+" names its account", func(t *testing.T) {
			out, err := root.GetAccessKeyInfo(s.ctx, &sdk.GetAccessKeyInfoInput{AccessKeyId: &tc.id})
			must(t, err)
			if aws.ToString(out.Account) != tc.account {
				t.Errorf("Account = %s, want %s", aws.ToString(out.Account), tc.account)
			}
		})
	}
	_, err = root.GetAccessKeyInfo(s.ctx, &sdk.GetAccessKeyInfoInput{AccessKeyId: aws.String("short")})
	refused(t, err, "ValidationError", "accessKeyId")
}
