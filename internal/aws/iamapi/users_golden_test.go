package iamapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var updateUserGolden = flag.Bool("update-users-golden", false, "rewrite the users side's testdata/*.golden from the current output")

// Generated values, replaced by generatedValues so the golden files hold only
// the wire shape and the fixed values.
var generatedValues = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<request-id>"},
	{regexp.MustCompile(`\b(AIDA|AGPA|AKIA)[A-Z2-7]{16,17}\b`), "<$1-id>"},
	{regexp.MustCompile(`<SecretAccessKey>[^<]+</SecretAccessKey>`), "<SecretAccessKey><secret></SecretAccessKey>"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "<date>"},
	{regexp.MustCompile(`\b\d{12}\b`), "<account>"},
}

// TestIAMResponsesMatchTheirGoldenFiles pins the XML of one success of each
// shape family, and of a refusal, as keyward writes them.
func TestIAMResponsesMatchTheirGoldenFiles(t *testing.T) {
	a := newUserAPI(t)
	steps := []struct{ name, form string }{
		{"create_user", "Action=CreateUser&UserName=alice&Path=/eng/&Tags.member.1.Key=team&Tags.member.1.Value=blue"},
		{"list_users", "Action=ListUsers&MaxItems=1"},
		{"create_access_key", "Action=CreateAccessKey&UserName=alice"},
		{"create_group", "Action=CreateGroup&GroupName=admins"},
		{"add_user_to_group", "Action=AddUserToGroup&GroupName=admins&UserName=alice"},
		{"get_group", "Action=GetGroup&GroupName=admins"},
		{"create_oidc_provider", "Action=CreateOpenIDConnectProvider&Url=https%3A%2F%2Fissuer.example.com&ClientIDList.member.1=app"},
		{"delete_user_conflict", "Action=DeleteUser&UserName=alice"},
		{"get_user_not_found", "Action=GetUser&UserName=zed"},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) { userGolden(t, step.name, a.raw(t, step.form)) })
	}
}

// raw sends an IAM form signed with the root key and returns the status
// line, content type and body with generated values replaced.
func (a *userAPI) raw(t *testing.T, form string) string {
	t.Helper()
	body := []byte(form + "&Version=2010-05-08")
	req, err := http.NewRequest(http.MethodPost, a.srv.URL+"/", bytes.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	creds, err := a.admin.Options().Credentials.Retrieve(context.Background())
	must(t, err)
	sum := sha256.Sum256(body)
	must(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials(creds), req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()))
	resp, err := a.srv.Client().Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	out := resp.Status + "\nContent-Type: " + resp.Header.Get("Content-Type") + "\n\n" + string(b) + "\n"
	for _, p := range generatedValues {
		out = p.re.ReplaceAllString(out, p.with)
	}
	return out
}

// userGolden compares got with testdata/name.golden (rewritten with -update-users-golden).
func userGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *updateUserGolden {
		must(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-users-golden to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s--- want\n%s", path, got, want)
	}
}
