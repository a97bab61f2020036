package okta

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	xrv "github.com/mattermost/xml-roundtrip-validator"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Role is one role an AWS Account Federation app's assertion lets the
// person take.
type Role struct {
	AppID, AppLabel string
	AccountID       string
	RoleName        string
	RoleARN         string
	PrincipalARN    string // the IAM SAML provider
	// MaxDuration is the assertion's SessionDuration; 0 when it has none.
	MaxDuration time.Duration
}

// formResponse is the SAMLResponse of the auto-posting form Okta answers
// /login/token/sso with: the one SAMLResponse input of a form, read with
// an HTML parser so markup order and escaping do not matter.
func formResponse(page []byte) (string, error) {
	if len(page) > maxBody {
		return "", errors.New("the sign-in page is too large")
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return "", fmt.Errorf("the sign-in page is not HTML: %w", err)
	}
	var values []string
	var walk func(n *html.Node, inForm bool)
	walk = func(n *html.Node, inForm bool) {
		if n.Type == html.ElementNode {
			inForm = inForm || n.DataAtom == atom.Form
			if n.DataAtom == atom.Input && inForm && attr(n, "name") == "SAMLResponse" {
				values = append(values, attr(n, "value"))
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, inForm)
		}
	}
	walk(doc, false)
	switch {
	case len(values) == 0:
		return "", errors.New("the sign-in page carries no SAML response (no form with a SAMLResponse input)")
	case len(values) > 1:
		return "", errors.New("the sign-in page carries more than one SAML response")
	case strings.TrimSpace(values[0]) == "":
		return "", errors.New("the sign-in page's SAML response is empty")
	}
	return values[0], nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val
		}
	}
	return ""
}

// SAML's namespaces and the AWS attributes read here.
const (
	nsProtocol      = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsAssertion     = "urn:oasis:names:tc:SAML:2.0:assertion"
	statusSuccess   = "urn:oasis:names:tc:SAML:2.0:status:Success"
	attrRole        = "https://aws.amazon.com/SAML/Attributes/Role"
	attrSessionTime = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
)

// samlResponse is as much of a SAML response as the roles need, matched
// by namespace, not by prefix.
type samlResponse struct {
	XMLName xml.Name `xml:"urn:oasis:names:tc:SAML:2.0:protocol Response"`
	Status  struct {
		Code struct {
			Value string `xml:"Value,attr"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:protocol StatusCode"`
	} `xml:"urn:oasis:names:tc:SAML:2.0:protocol Status"`
	Assertions []struct {
		Statements []struct {
			Attributes []struct {
				Name   string   `xml:"Name,attr"`
				Values []string `xml:"urn:oasis:names:tc:SAML:2.0:assertion AttributeValue"`
			} `xml:"urn:oasis:names:tc:SAML:2.0:assertion Attribute"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:assertion AttributeStatement"`
	} `xml:"urn:oasis:names:tc:SAML:2.0:assertion Assertion"`
	Encrypted []struct{} `xml:"urn:oasis:names:tc:SAML:2.0:assertion EncryptedAssertion"`
}

// assertionRoles reads the roles of a SAMLResponse value (base64 of a
// SAML response with one assertion): each Role attribute value is a
// provider ARN and a role ARN, in either order, as AWS accepts them.
func assertionRoles(value string) ([]Role, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, value))
	if err != nil {
		return nil, errors.New("the SAML response is not base64")
	}
	// Reject XML that would not read back the same (namespace and
	// comment tricks) before encoding/xml interprets it.
	if err := xrv.Validate(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("the SAML response is not well-formed XML: %w", err)
	}
	var r samlResponse
	if err := xml.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("the SAML response is not a SAML 2.0 Response: %w", err)
	}
	switch {
	case r.Status.Code.Value != statusSuccess:
		return nil, fmt.Errorf("the SAML response reports %q, not success", printable(r.Status.Code.Value, 100))
	case len(r.Encrypted) > 0:
		return nil, errors.New("the SAML assertion is encrypted, so its roles cannot be read")
	case len(r.Assertions) != 1:
		return nil, fmt.Errorf("the SAML response holds %d assertions, not one", len(r.Assertions))
	}
	var roles []Role
	var maxDuration time.Duration
	seen := map[string]bool{}
	for _, st := range r.Assertions[0].Statements {
		for _, a := range st.Attributes {
			switch a.Name {
			case attrSessionTime:
				if maxDuration, err = sessionDuration(a.Values); err != nil {
					return nil, err
				}
			case attrRole:
				for _, v := range a.Values {
					role, err := parseRole(v)
					if err != nil {
						return nil, err
					}
					if k := role.PrincipalARN + "," + role.RoleARN; !seen[k] {
						seen[k] = true
						roles = append(roles, role)
					}
				}
			}
		}
	}
	for i := range roles {
		roles[i].MaxDuration = maxDuration
	}
	return roles, nil
}

func dropSpace(r rune) rune {
	if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
		return -1
	}
	return r
}

// sessionDuration reads the SessionDuration attribute: one number of
// seconds, as AWS takes it (900 to 43200).
func sessionDuration(values []string) (time.Duration, error) {
	if len(values) != 1 {
		return 0, fmt.Errorf("the SAML assertion's SessionDuration has %d values, not one", len(values))
	}
	n, err := strconv.Atoi(strings.TrimSpace(values[0]))
	if err != nil || n < 900 || n > 43200 {
		return 0, fmt.Errorf("the SAML assertion's SessionDuration %q is not a number of seconds from 900 to 43200",
			printable(values[0], 40))
	}
	return time.Duration(n) * time.Second, nil
}

var (
	providerARN = regexp.MustCompile(`^(arn:aws[a-z-]*:iam::\d{12}):saml-provider/[\w.-]{1,128}$`)
	roleARN     = regexp.MustCompile(`^(arn:aws[a-z-]*:iam::(\d{12})):role/(?:[\x21-\x7e]{0,510}/)?([\w+=,.@-]{1,64})$`)
)

// parseRole reads one Role attribute value: "provider ARN,role ARN" in
// either order, both in the same partition and account.
func parseRole(v string) (Role, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(v), ",")
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if ok && providerARN.MatchString(b) {
		a, b = b, a
	}
	p, r := providerARN.FindStringSubmatch(a), roleARN.FindStringSubmatch(b)
	if !ok || p == nil || r == nil || p[1] != r[1] {
		return Role{}, fmt.Errorf("the SAML assertion's Role value %q is not a SAML provider ARN and a role ARN of one account",
			printable(v, 200))
	}
	return Role{AccountID: r[2], RoleName: r[3], RoleARN: b, PrincipalARN: a}, nil
}
