package oktaapi

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// appBody is an Application in a create or replace request.
type appBody struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	SignOnMode string `json:"signOnMode"`
	Settings   *struct {
		App         map[string]any   `json:"app"`
		SignOn      *signOnJSON      `json:"signOn"`
		OAuthClient *oauthClientBody `json:"oauthClient"`
	} `json:"settings"`
	Credentials *struct {
		OAuthClient *oauthCredsBody `json:"oauthClient"`
	} `json:"credentials"`
}

// Bounds on what an app may carry.
const (
	maxLabel        = 100
	maxAppSettings  = 50
	maxSPCerts      = 4
	maxStatements   = 50
	maxLifetimeSecs = 3600
)

// causes collects E0000001 errorCauses.
type causes []string

func (c *causes) add(field, problem string) {
	if problem != "" {
		*c = append(*c, field+": "+problem)
	}
}

func (c causes) err() error {
	if len(c) == 0 {
		return nil
	}
	return &errs.Error{Kind: errs.Invalid, Reason: directory.ReasonValidation,
		Message: "Api validation failed: " + strings.Join(c, "; ")}
}

// app turns the body into an app named name (the existing app's name on
// replace, "" on create: the body's name then picks the catalogue entry or
// a custom app).
func (b appBody) app(name string) (directory.App, error) {
	var c causes
	label := b.label(&c)
	if b.SignOnMode != string(directory.SAML2) {
		c.add("signOnMode", "keyward serves SAML_2_0 and OPENID_CONNECT apps; got "+quoteOrBlank(b.SignOnMode))
	}
	if name == "" {
		name = b.Name
	} else if b.Name != "" && b.Name != name {
		c.add("name", "An app's name cannot change")
	}
	catalogue := name == directory.AWSIdentityCenterApp
	federation := name == directory.AWSAccountFederationApp
	if !catalogue && !federation && name != "" && !strings.HasPrefix(name, directory.CustomSAMLApp+"_") {
		c.add("name", "keyward's catalogue has "+directory.AWSIdentityCenterApp+" and "+directory.AWSAccountFederationApp+
			"; leave name out for a custom SAML 2.0 app")
	}
	app := directory.App{Name: name, Label: label, SignOnMode: directory.SAML2}
	app.Settings = appSettings(b, &c)
	var signOn *signOnJSON
	if b.Settings != nil {
		signOn = b.Settings.SignOn
	}
	switch {
	case catalogue:
		app.SAML = awsSAML(app.Settings, signOn, &c)
	case federation:
		app.SAML = awsFederationSAML(app.Settings, signOn, &c)
	default:
		app.SAML = customSAML(signOn, &c)
	}
	return app, c.err()
}

func quoteOrBlank(s string) string {
	if s == "" || !validText(s) || len(s) > 64 {
		return "nothing usable"
	}
	return `"` + s + `"`
}

// appSettings keeps settings.app as text: strings, numbers and booleans.
func appSettings(b appBody, c *causes) map[string]string {
	if b.Settings == nil || len(b.Settings.App) == 0 {
		return nil
	}
	if len(b.Settings.App) > maxAppSettings {
		c.add("settings.app", "At most 50 settings")
		return nil
	}
	out := map[string]string{}
	for k, v := range b.Settings.App {
		field := "settings.app." + k
		if !validText(k) || len(k) > 64 {
			c.add("settings.app", "Setting names must be valid text of at most 64 characters")
			continue
		}
		switch v := v.(type) {
		case string:
			if !validText(v) || len(v) > 2048 {
				c.add(field, "Must be valid text of at most 2048 characters")
			}
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = map[bool]string{true: "true", false: "false"}[v]
		case nil:
		default:
			c.add(field, "Must be a string, a number or a boolean")
		}
	}
	return out
}

// awsSAML is the AWS IAM Identity Center preset on the two URLs AWS shows;
// the administrator may add attribute statements (such as AWS's
// AccessControl attributes) and a default relay state.
func awsSAML(settings map[string]string, in *signOnJSON, c *causes) directory.SAMLSettings {
	s := directory.AWSIdentityCenterSAML(settings[directory.AWSSettingACSURL], settings[directory.AWSSettingEntityID])
	if in != nil {
		s.Attributes = statements(in.AttributeStatements, c)
		s.DefaultRelayState = in.DefaultRelayState
		checkAlgorithms(in, c)
	}
	rename := map[string]string{"ssoAcsUrl": "settings.app." + directory.AWSSettingACSURL,
		"audience": "settings.app." + directory.AWSSettingEntityID}
	s = s.WithDefaults()
	for _, cause := range directory.Causes(directory.ValidateSAML(s)) {
		field, problem, _ := strings.Cut(cause, ": ")
		if r, ok := rename[field]; ok {
			c.add(r, problem)
		} else {
			c.add("settings.signOn."+field, problem)
		}
	}
	return s
}

// customSAML reads a custom app's settings.signOn.
func customSAML(in *signOnJSON, c *causes) directory.SAMLSettings {
	if in == nil {
		c.add("settings.signOn", "A SAML 2.0 app needs its sign-on settings (ssoAcsUrl, audience, ...)")
		return directory.SAMLSettings{}
	}
	checkAlgorithms(in, c)
	s := directory.SAMLSettings{ACSURL: in.SSOAcsURL, Audience: in.Audience, Recipient: in.Recipient,
		Destination: in.Destination, NameIDFormat: in.SubjectNameIDFormat, NameIDTemplate: in.SubjectNameIDTemplate,
		ResponseSigned: in.ResponseSigned == nil || *in.ResponseSigned, AssertionSigned: in.AssertionSigned == nil || *in.AssertionSigned,
		AuthnContextClassRef: in.AuthnContextClassRef, DefaultRelayState: in.DefaultRelayState,
		Attributes: statements(in.AttributeStatements, c), SPCertificates: spCerts(in.SPCertificate, c)}
	if in.AssertionLifetime != nil {
		if n := *in.AssertionLifetime; n < 1 || n > maxLifetimeSecs {
			c.add("settings.signOn.samlAssertionLifetimeSeconds", "Must be between 1 and 3600")
		} else {
			s.AssertionLifetime = time.Duration(n) * time.Second
		}
	}
	s = s.WithDefaults()
	for _, cause := range directory.Causes(directory.ValidateSAML(s)) {
		*c = append(*c, "settings.signOn."+cause)
	}
	return s
}

// checkAlgorithms refuses SHA-1: keyward signs with RSA-SHA256 only, and
// AWS refuses SHA-1 signatures.
func checkAlgorithms(in *signOnJSON, c *causes) {
	if in.SignatureAlgorithm != "" && in.SignatureAlgorithm != rsaSHA256 {
		c.add("settings.signOn.signatureAlgorithm", "keyward signs with RSA_SHA256 only (SHA-1 is broken and AWS refuses it)")
	}
	if in.DigestAlgorithm != "" && in.DigestAlgorithm != digestSHA256 {
		c.add("settings.signOn.digestAlgorithm", "keyward digests with SHA256 only (SHA-1 is broken and AWS refuses it)")
	}
}

func statements(in []attrStatement, c *causes) []directory.AttributeStatement {
	if len(in) > maxStatements {
		c.add("settings.signOn.attributeStatements", "At most 50 statements")
		return nil
	}
	var out []directory.AttributeStatement
	for _, a := range in {
		out = append(out, directory.AttributeStatement{Type: a.Type, Name: a.Name, Namespace: a.Namespace,
			Values: a.Values, FilterType: a.FilterType, FilterValue: a.FilterValue})
	}
	return out
}

// spCerts reads the service provider's certificates (base64 DER).
func spCerts(in *spCertJSON, c *causes) [][]byte {
	if in == nil {
		return nil
	}
	if len(in.X5C) > maxSPCerts {
		c.add("settings.signOn.spCertificate.x5c", "At most 4 certificates")
		return nil
	}
	var out [][]byte
	for _, s := range in.X5C {
		der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err == nil {
			_, err = x509.ParseCertificate(der)
		}
		if err != nil {
			c.add("settings.signOn.spCertificate.x5c", "Each entry must be a base64 DER X.509 certificate")
			continue
		}
		out = append(out, der)
	}
	return out
}
