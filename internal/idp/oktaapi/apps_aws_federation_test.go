package oktaapi

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// fakeAWSRoles seals by prefixing and refuses a session over an hour.
type fakeAWSRoles struct{ checked []string }

func (f *fakeAWSRoles) SealSecret(secret string) string { return "sealed:" + secret }

func (f *fakeAWSRoles) Check(_ context.Context, app directory.App) error {
	f.checked = append(f.checked, app.Settings[directory.SealedSecretSetting])
	if n, _ := strconv.Atoi(app.Settings[directory.AWSFedSessionDuration]); n > 3600 {
		return errs.E(errs.Invalid, "Api validation failed: settings.app.sessionDuration: longer than role arn:aws:iam::222222222222:role/Admin (3600 seconds)").
			WithReason(directory.ReasonValidation)
	}
	return nil
}

const federationBody = `{"name":"amazon_aws","label":"AWS Account Federation","signOnMode":"SAML_2_0","settings":{"app":{` +
	`"identityProviderArn":"arn:aws:iam::222222222222:saml-provider/Keyward","groupFilter":"aws-(?{{role}}\\w+)",` +
	`"loginURL":"https://aws.keyward.test/saml","sessionDuration":%s,"accessKey":"AKIAEXAMPLE","secretKey":"s3cret"}}}`

func TestTheAWSAccountFederationAppIsConfiguredWithOktasSettings(t *testing.T) {
	w := newAppWorld(t)
	roles := &fakeAWSRoles{}
	w.a.cfg.AWSRoles = roles
	app := w.must(200, "POST", "/api/v1/apps", strings.Replace(federationBody, "%s", "3600", 1))
	got := []any{at(app, "name"), at(app, "settings.signOn.ssoAcsUrl"), at(app, "settings.signOn.recipient"),
		at(app, "settings.signOn.audience"), at(app, "settings.app.secretKey"), at(app, "settings.app.keyward.sealedSecretKey")}
	want := []any{"amazon_aws", "https://aws.keyward.test/saml", "https://signin.aws.amazon.com/saml", "urn:amazon:webservices", nil, nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("name, ACS, recipient, audience, secret, sealed secret (-want +got):\n%s", diff)
	}
	stored, err := w.st.App(t.Context(), app["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if s := stored.Settings[directory.SealedSecretSetting]; s != "sealed:s3cret" || stored.Settings[directory.AWSFedSecretKey] != "" {
		t.Errorf("stored settings %v, want the secret only sealed", stored.Settings)
	}

	t.Run("a replace without secretKey keeps the sealed secret", func(t *testing.T) {
		body := strings.Replace(strings.Replace(federationBody, "%s", "1800", 1), `,"secretKey":"s3cret"`, "", 1)
		w.must(200, "PUT", "/api/v1/apps/"+stored.ID, body)
		if last := roles.checked[len(roles.checked)-1]; last != "sealed:s3cret" {
			t.Errorf("checked with sealed secret %q, want the old one", last)
		}
	})
	t.Run("a session longer than a mapped role's maximum is refused naming the role", func(t *testing.T) {
		code, out := w.call(w.admin, "PUT", "/api/v1/apps/"+stored.ID, strings.Replace(federationBody, "%s", "7200", 1))
		if code != 400 || at(out, "errorCode") != "E0000001" || !strings.Contains(at(out, "errorCauses").([]any)[0].(map[string]any)["errorSummary"].(string), "role/Admin (3600 seconds)") {
			t.Errorf("answered %d %v, want E0000001 naming Admin's maximum", code, out)
		}
	})
	t.Run("bad settings are named", func(t *testing.T) {
		code, out := w.call(w.admin, "POST", "/api/v1/apps", strings.Replace(federationBody, "%s", "99999", 1))
		if code != 400 || !strings.Contains(stringOf(out), "settings.app.sessionDuration: Must be a number of seconds between 900 and 43200") {
			t.Errorf("answered %d %v", code, out)
		}
	})
}

// stringOf is v as JSON, for a search in it.
func stringOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
