package oktaapi

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/directory"
)

// awsFederationSAML is the AWS Account Federation preset its settings.app
// describe; the administrator may add attribute statements (PrincipalTag
// attributes, say) and a default relay state.
func awsFederationSAML(settings map[string]string, in *signOnJSON, c *causes) directory.SAMLSettings {
	f, problems := directory.ReadAWSFederation(settings)
	*c = append(*c, problems...)
	s := f.SAML()
	if in != nil {
		s = f.SAMLWith(statements(in.AttributeStatements, c))
		s.DefaultRelayState = in.DefaultRelayState
		checkAlgorithms(in, c)
	}
	s = s.WithDefaults()
	if len(problems) == 0 {
		for _, cause := range directory.Causes(directory.ValidateSAML(s)) {
			*c = append(*c, "settings.signOn."+cause)
		}
	}
	return s
}

// awsFederationSecret keeps the API integration's secret key only sealed:
// a secretKey given is sealed; without one the old app's sealed secret
// stays while the access key does. The app is then checked against its
// roles (sessionDuration within each mapped role's maximum).
func (a *API) awsFederationSecret(ctx context.Context, app directory.App, old map[string]string) (directory.App, error) {
	if app.Name != directory.AWSAccountFederationApp {
		return app, nil
	}
	settings := map[string]string{}
	for k, v := range app.Settings {
		settings[k] = v
	}
	delete(settings, directory.SealedSecretSetting)
	secret, given := settings[directory.AWSFedSecretKey]
	delete(settings, directory.AWSFedSecretKey)
	switch {
	case given && secret != "" && a.cfg.AWSRoles == nil:
		return app, (&causes{"settings.app.secretKey: This keyward has no API integration for AWS configured"}).err()
	case given && secret != "":
		settings[directory.SealedSecretSetting] = a.cfg.AWSRoles.SealSecret(secret)
	case old[directory.AWSFedAccessKey] != "" && old[directory.AWSFedAccessKey] == settings[directory.AWSFedAccessKey]:
		settings[directory.SealedSecretSetting] = old[directory.SealedSecretSetting]
	}
	app.Settings = settings
	if (settings[directory.AWSFedAccessKey] == "") != (settings[directory.SealedSecretSetting] == "") {
		return app, (&causes{"settings.app.accessKey: Set accessKey and secretKey together (the API integration's IAM access key), or neither"}).err()
	}
	if a.cfg.AWSRoles == nil {
		return app, nil
	}
	return app, a.cfg.AWSRoles.Check(ctx, app)
}

// publicSettings are settings.app as the API shows them: never a secret.
func publicSettings(s map[string]string) map[string]string {
	if _, sealed := s[directory.SealedSecretSetting]; !sealed {
		return s
	}
	out := map[string]string{}
	for k, v := range s {
		if !strings.HasPrefix(k, "keyward.") {
			out[k] = v
		}
	}
	return out
}
