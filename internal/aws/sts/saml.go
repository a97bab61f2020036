package sts

import (
	"context"
	"crypto/sha1" //nolint:gosec // AWS defines NameQualifier as a SHA-1 digest
	"encoding/base64"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// SAMLProviders finds an account's IAM SAML providers by ARN (iamapi's
// Federation); a missing one is errs.NotFound.
type SAMLProviders interface {
	SAMLProvider(ctx context.Context, arn string) (iam.SAMLProvider, error)
}

// OneTimeKeys is the replay cache (store.OneTimeKeys).
type OneTimeKeys interface {
	RememberKey(ctx context.Context, key string, expires time.Time) error
}

// SAMLConfig is what AssumeRoleWithSAML and the console's SAML sign-in
// need besides the roles.
type SAMLConfig struct {
	Providers SAMLProviders
	Keys      OneTimeKeys
	// Recipients are accepted as SubjectConfirmationData Recipient besides
	// AWS's own sign-in URLs: keyward's <public AWS URL>/saml.
	Recipients []string
}

// WithSAML enables AssumeRoleWithSAML and VerifySAML.
func (s *Service) WithSAML(c SAMLConfig) *Service {
	s.saml = &c
	return s
}

// awsSignInRecipients are the Recipients AWS's sign-in accepts (aws-wire.md §4.1).
var awsSignInRecipients = []string{samlsp.SignInURL, "https://signin.aws.amazon.com/static/saml"}

// The replay scopes: an assertion is used once by AssumeRoleWithSAML, and
// once by the console's sign-in, which spends it when verifying it
// (SAMLScopeSignIn) and again when issuing the chosen role's console
// session (SAMLScopeConsole), so that a role chooser's choice is used once.
const (
	SAMLScopeSTS     = "sts"
	SAMLScopeSignIn  = "signin"
	SAMLScopeConsole = "console"
)

// recipients are the Recipients accepted here: AWS's, its regional
// sign-in endpoints and the configured ones.
func (c *SAMLConfig) recipients(region string) []string {
	out := append([]string{}, awsSignInRecipients...)
	if region != "" {
		out = append(out, "https://"+region+".signin.aws.amazon.com/saml")
	}
	return append(out, c.Recipients...)
}

// verifySAML checks the assertion's signature and claims against the
// provider and reads AWS's attributes from it.
func (s *Service) verifySAML(encoded string, p iam.SAMLProvider) (SAMLAssertion, error) {
	certs := make([][]byte, 0, len(p.Certificates))
	for _, c := range p.Certificates {
		der, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return SAMLAssertion{}, invalidToken("The SAML provider %s holds an unreadable certificate: upload its metadata again.", p.ARN())
		}
		certs = append(certs, der)
	}
	a, err := samlsp.Verify(encoded, samlsp.Rules{IdPEntityID: p.EntityID, Certificates: certs,
		Recipients: s.saml.recipients(s.region), Audiences: samlsp.SignInAudiences, Clock: s.clock,
		Product: "AWS", App: "AWS Account Federation"})
	if err != nil {
		return SAMLAssertion{}, samlRefusal(err)
	}
	out := SAMLAssertion{Assertion: a, Provider: p}
	if err := out.readAttributes(); err != nil {
		return SAMLAssertion{}, err
	}
	return out, nil
}

// samlRefusal words samlsp's refusal with STS's code and, where AWS's
// message is known, AWS's words first.
func samlRefusal(err error) error {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		return err
	}
	switch samlsp.ReasonOf(err) {
	case samlsp.ReasonExpired:
		return errs.E(errs.Invalid, "%s", e.Message).WithCode("ExpiredTokenException").WithReason(e.Reason)
	case samlsp.ReasonSignature:
		return invalidToken("Response signature invalid. %s", e.Message).WithReason(e.Reason)
	case samlsp.ReasonIssuer:
		return invalidToken("Issuer not present in specified provider. %s", e.Message).WithReason(e.Reason)
	}
	return invalidToken("%s", e.Message).WithReason(e.Reason)
}

func invalidToken(format string, args ...any) *errs.Error {
	return errs.E(errs.Invalid, format, args...).WithCode("InvalidIdentityToken")
}

// subjectType is saml:sub_type and the result's SubjectType: SAML 2.0's
// persistent and transient formats by their short names, any other
// format as given.
func subjectType(format string) string {
	switch format {
	case "":
		return "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient":
		return format[strings.LastIndex(format, ":")+1:]
	}
	return format
}

// nameQualifier is AWS's saml:namequalifier: the base64 SHA-1 of the
// issuer, the account id, "/" and the provider's name.
func nameQualifier(issuer string, p iam.SAMLProvider) string {
	sum := sha1.Sum([]byte(issuer + p.AccountID + "/" + p.Name)) //nolint:gosec // AWS's definition
	return base64.StdEncoding.EncodeToString(sum[:])
}
