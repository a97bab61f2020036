package sts_test

import (
	"crypto/sha1" //nolint:gosec // AWS's NameQualifier
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/iam"
)

func TestAssumeRoleWithSAMLGivesTheRoleSessionTheAssertionNames(t *testing.T) {
	s := newSAMLServer(t)
	spec := s.spec()
	spec.Attributes[sts.AttrPrincipalTag+"team"] = []string{"infra"}
	spec.Attributes[sts.AttrSourceIdentity] = []string{"alice"}
	out, err := s.assume(readerARN, s.idp.Signed(t, spec))
	must(t, err)
	sum := sha1.Sum([]byte(idpEntityID + member + "/Corp")) //nolint:gosec
	got := []string{aws.ToString(out.AssumedRoleUser.Arn), aws.ToString(out.Subject), aws.ToString(out.SubjectType),
		aws.ToString(out.Issuer), aws.ToString(out.Audience), aws.ToString(out.NameQualifier), aws.ToString(out.SourceIdentity)}
	want := []string{"arn:aws:sts::222222222222:assumed-role/SAMLReader/alice@example.com", "alice", "persistent",
		idpEntityID, "https://signin.aws.amazon.com/saml", base64.StdEncoding.EncodeToString(sum[:]), "alice"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	p := (&server{ctx: s.ctx, auth: s.auth}).opened(t, out.Credentials)
	if diff := cmp.Diff([]iam.Tag{{Key: "team", Value: "infra"}}, p.Session.Tags); diff != "" {
		t.Errorf("session tags (-want +got):\n%s", diff)
	}
	if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d < 55*time.Minute || d > time.Hour {
		t.Errorf("the session lasts %v, want the default hour", d)
	}
}

func TestTheSessionIsTheShortestOfWhatIsAskedAndWhatTheAssertionAllows(t *testing.T) {
	s := newSAMLServer(t)
	cases := []struct {
		name    string
		asked   int32
		attr    string
		want    time.Duration
		refusal string
	}{
		{"SessionDuration shortens DurationSeconds", 3600, "900", 15 * time.Minute, ""},
		{"SessionDuration does not lengthen it", 1800, "7200", 30 * time.Minute, ""},
		{"DurationSeconds above the role's maximum is refused", 10800, "", 0, "ValidationError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := s.spec()
			if c.attr != "" {
				spec.Attributes[sts.AttrSessionDuration] = []string{c.attr}
			}
			out, err := s.anonymous().AssumeRoleWithSAML(s.ctx, &sdk.AssumeRoleWithSAMLInput{RoleArn: aws.String(adminARN),
				PrincipalArn: aws.String(providerARN), SAMLAssertion: aws.String(s.idp.Signed(t, spec)), DurationSeconds: aws.Int32(c.asked)})
			if c.refusal != "" {
				refused(t, err, c.refusal, "MaxSessionDuration")
				return
			}
			must(t, err)
			if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d > c.want || d < c.want-time.Minute {
				t.Errorf("the session lasts %v, want %v", d, c.want)
			}
		})
	}
}

func TestTheRecipientIsSAMLAudForTheTrustPolicy(t *testing.T) {
	s := newSAMLServer(t)
	must(t, s.db.CreateIAMRole(s.ctx, iamRole("KeywardOnly", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"`+
		providerARN+`"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://aws.keyward.test/saml"}}}}`)))
	keywardOnly := "arn:aws:iam::222222222222:role/KeywardOnly"
	cases := []struct {
		name, recipient, role, wantAudience string
	}{
		{"keyward's own /saml is a recipient SAML:aud can require", "https://aws.keyward.test/saml", keywardOnly, "https://aws.keyward.test/saml"},
		{"AWS's regional sign-in is a recipient too, and SAML:aud then names it", "https://us-east-1.signin.aws.amazon.com/saml", readerARN, ""},
		{"AWS's sign-in does not satisfy a trust policy requiring keyward's", "https://signin.aws.amazon.com/saml", keywardOnly, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := s.spec()
			spec.Attributes[sts.AttrRole] = []string{c.role + "," + providerARN}
			spec.Recipient, spec.Destination = c.recipient, c.recipient
			out, err := s.assume(c.role, s.idp.Signed(t, spec))
			if c.role == keywardOnly && c.wantAudience == "" {
				refused(t, err, "AccessDenied", "Not authorized")
				return
			}
			must(t, err)
			if got := aws.ToString(out.Audience); got != c.recipient {
				t.Errorf("Audience = %s, want the recipient %s", got, c.recipient)
			}
		})
	}
}

func TestTheTrustPolicySeesTheRequestsGlobalKeys(t *testing.T) {
	s := newSAMLServer(t)
	// Access that ended in 2020: aws:CurrentTime is in every request's context.
	must(t, s.db.CreateIAMRole(s.ctx, iamRole("Expired", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"Federated":"`+providerARN+`"},"Action":"sts:AssumeRoleWithSAML"},
 {"Effect":"Deny","Principal":{"Federated":"`+providerARN+`"},"Action":"sts:AssumeRoleWithSAML",
  "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}`)))
	// Access while it lasts.
	must(t, s.db.CreateIAMRole(s.ctx, iamRole("Current", `{"Version":"2012-10-17","Statement":
 {"Effect":"Allow","Principal":{"Federated":"`+providerARN+`"},"Action":"sts:AssumeRoleWithSAML",
  "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}}`)))
	for _, role := range []string{"Expired", "Current"} {
		arn := "arn:aws:iam::222222222222:role/" + role
		spec := s.spec()
		spec.Attributes[sts.AttrRole] = []string{arn + "," + providerARN}
		_, err := s.assume(arn, s.idp.Signed(t, spec))
		if role == "Expired" {
			refused(t, err, "AccessDenied", "Not authorized")
		} else {
			must(t, err)
		}
	}
}
