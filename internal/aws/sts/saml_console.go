package sts

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// maxSignInProviders bounds the SAML providers one sign-in tries.
const maxSignInProviders = 10

// VerifySAML verifies a Response posted to the console's SAML sign-in. It
// has no PrincipalArn to go by: it tries each SAML provider the Role
// attribute names (read, before verification, only to find them) and
// keeps the roles of the first provider whose metadata verifies the
// response. The assertion is spent in the sign-in's replay scope, so the
// roles a person chooses from come from one use of it.
func (s *Service) VerifySAML(ctx context.Context, encoded string) (SAMLAssertion, error) {
	a, err := s.verifySignIn(ctx, encoded)
	return a, s.LogSAMLRefusal(ctx, "signin", "", err)
}

func (s *Service) verifySignIn(ctx context.Context, encoded string) (SAMLAssertion, error) {
	if s.saml == nil {
		return SAMLAssertion{}, errs.E(errs.Invalid, "SAML sign-in is not enabled.")
	}
	providers, err := rolesProviders(encoded)
	if err != nil {
		return SAMLAssertion{}, err
	}
	var firstErr error
	for _, arn := range providers {
		p, err := s.saml.Providers.SAMLProvider(ctx, arn)
		if errs.Is(err, errs.NotFound) {
			firstErr = cmpErr(firstErr, invalidToken("The SAML provider %.2048s named in the assertion's Role attribute does not exist.", arn))
			continue
		}
		if err != nil {
			return SAMLAssertion{}, err
		}
		a, err := s.verifySAML(encoded, p)
		if err != nil {
			firstErr = cmpErr(firstErr, err)
			continue
		}
		var mine []RolePair
		for _, r := range a.Roles {
			if r.ProviderARN == arn {
				mine = append(mine, r)
			}
		}
		a.Roles = mine
		return a, s.spend(ctx, a, SAMLScopeSignIn)
	}
	return SAMLAssertion{}, firstErr
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// rolesProviders reads the provider ARNs of the Role attribute's values
// from the (not yet verified) Response, once each, in order.
func rolesProviders(encoded string) ([]string, error) {
	noRoles := invalidToken("The SAML response names no role: its identity provider must send the attribute %s with \"<role ARN>,<SAML provider ARN>\" values.", AttrRole)
	if len(encoded) > samlsp.MaxFormBytes {
		return nil, invalidToken("The SAML response is too large.")
	}
	doc, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(encoded), ""))
	if err != nil {
		return nil, invalidToken("The SAML response is not base64.")
	}
	var out []string
	d := xml.NewDecoder(bytes.NewReader(doc))
	inRole, inValue := false, false
	for len(out) < maxSignInProviders {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, invalidToken("The SAML response is not XML.")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, invalidToken("The SAML response contains a document type declaration, which SAML forbids.")
		case xml.StartElement:
			inValue = inRole && t.Name.Local == "AttributeValue"
			if t.Name.Local == "Attribute" {
				inRole = attr(t, "Name") == AttrRole
			}
		case xml.EndElement:
			inValue = false
			if t.Name.Local == "Attribute" {
				inRole = false
			}
		case xml.CharData:
			if !inValue {
				continue
			}
			for _, part := range strings.Split(string(t), ",") {
				if p := strings.TrimSpace(part); strings.Contains(p, ":saml-provider/") && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil, noRoles
	}
	return out, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// SignInWithSAML issues the console session of pair that a, verified by
// VerifySAML, offers: as long as its SessionDuration allows within the
// role's maximum, once per assertion. A refusal is logged.
func (s *Service) SignInWithSAML(ctx context.Context, a SAMLAssertion, pair RolePair) (iam.Session, error) {
	sess, _, err := s.AssumeRoleWithSAMLAssertion(ctx, a, pair, SAMLSessionOptions{Console: true, ReplayScope: SAMLScopeConsole})
	return sess, s.LogSAMLRefusal(ctx, "signin", pair.RoleARN, err)
}
