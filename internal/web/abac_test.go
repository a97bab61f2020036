package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/iam"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// abacStore is the store with an instance that maps the tag dept to the
// user's department.
type abacStore struct{ *sqlite.DB }

func (abacStore) Instance(context.Context) (ic.Instance, error) {
	return ic.Instance{ID: "ssoins-0123456789abcdef", AccessControl: &ic.AccessControlConfig{
		Attributes: []ic.AccessControlAttribute{{Key: "dept", Source: "${path:enterprise.department}"}}}}, nil
}

var exportRe = regexp.MustCompile(`export (AWS_ACCESS_KEY_ID|AWS_SESSION_TOKEN)="([^"]+)"`)

func TestTheCredentialsPageTagsTheSessionWithWhatTheSignInAsserted(t *testing.T) {
	f := newFixture(t, func(db *sqlite.DB) pageStore { return abacStore{db} })
	value, _, err := f.signIn.StartFederatedSession(context.Background(), f.user.ID, time.Time{}, map[string]string{"dept": "research"})
	must(t, err)
	r := f.serve(http.MethodGet, "/start/credentials?account_id="+devAccount+"&role_name=DevOps", "", &http.Cookie{Name: sessionCookie, Value: value})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	creds := map[string]string{}
	for _, m := range exportRe.FindAllStringSubmatch(html.UnescapeString(r.body), -1) {
		creds[m[1]] = m[2]
	}
	auth, err := awsauth.New(bytes.Repeat([]byte{7}, 32), f.db, clock.NewFake(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), clock.Random) // the fixture's key and time
	must(t, err)
	key, err := auth.Lookup(context.Background(), creds["AWS_ACCESS_KEY_ID"], creds["AWS_SESSION_TOKEN"])
	must(t, err)
	if diff := cmp.Diff([]iam.Tag{{Key: "dept", Value: "research"}}, key.Principal.(awsauth.Principal).Session.Tags); diff != "" {
		t.Errorf("session tags (-want +got):\n%s", diff)
	}
}
