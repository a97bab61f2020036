package awsauth

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// sealRaw seals payload as a session token for id, as IssueSession would.
func sealRaw(a *Authority, id, payload string) string {
	return base64.StdEncoding.EncodeToString(a.sessions.Seal([]byte(payload), []byte(id)))
}

func TestATokenOfTheFirstFormatStillVerifiesAsTheSameSession(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	a.keys = nil
	// Exactly what IssueSession sealed before sessions were described by
	// iam.Session: seven members, no kind, no path.
	const id = "ASIAAAAAAAAAAAAAAAAB"
	old := `{"a":"111122223333","r":"AWSReservedSSO_DevOps_0123456789abcdef","i":"AROAABCDEFGHIJKLMNOPQ","n":"alice",` +
		`"s":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY","t":` + itoa(start.Unix()) + `,"e":` + itoa(start.Add(time.Hour).Unix()) + `}`
	k, err := a.Lookup(context.Background(), id, sealRaw(a, id, old))
	if err != nil {
		t.Fatal(err)
	}
	p := k.Principal.(Principal)
	want := Principal{Type: AssumedRole, AccountID: "111122223333", AccessKeyID: id,
		ARN:    "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DevOps_0123456789abcdef/alice",
		UserID: "AROAABCDEFGHIJKLMNOPQ:alice",
		Session: iam.Session{Kind: iam.KindAssumedRole, AccountID: "111122223333", RoleID: "AROAABCDEFGHIJKLMNOPQ",
			RoleName: "AWSReservedSSO_DevOps_0123456789abcdef", SessionName: "alice", Expires: start.Add(time.Hour)}}
	if diff := cmp.Diff(want, p); diff != "" || k.Secret != "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" {
		t.Errorf("principal (-want +got):\n%s", diff)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestTheWholeSessionDescriptionRidesInTheToken(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	s := iam.Session{Kind: iam.KindAssumedRole, AccountID: "444455556666", RoleID: "AROAZZZZZZZZZZZZZZZZZ", RoleName: "deploy",
		RolePath: "/ci/", SessionName: "build-42", PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
		Tags:   []iam.Tag{{Key: "team", Value: "a"}, {Key: "env", Value: "dev"}}, TransitiveTagKeys: []string{"team"},
		SourceIdentity: "alice@example.com", Expires: start.Add(15 * time.Minute)}
	c := issue(t, a, s)
	a.keys = nil
	k, err := a.Lookup(context.Background(), c.AccessKeyID, c.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	p := k.Principal.(Principal)
	if diff := cmp.Diff(s, p.Session); diff != "" {
		t.Errorf("session (-issued +verified):\n%s", diff)
	}
	if p.ARN != "arn:aws:sts::444455556666:assumed-role/deploy/build-42" || p.UserID != "AROAZZZZZZZZZZZZZZZZZ:build-42" {
		t.Errorf("ARN %s, UserId %s", p.ARN, p.UserID)
	}
	if !c.Expiration.Equal(s.Expires) {
		t.Errorf("Expiration = %s, want %s", c.Expiration, s.Expires)
	}
}

func TestATokenThatOpensButDescribesNoSessionIsInvalid(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	const id = "ASIAAAAAAAAAAAAAAAAC"
	exp := itoa(start.Add(time.Hour).Unix())
	cases := map[string]string{
		"a payload that is not JSON":     `not json`,
		"a JSON array":                   `[1,2]`,
		"a member of the wrong type":     `{"a":1}`,
		"a kind keyward does not issue":  `{"k":"space-alien","a":"111122223333","r":"r","i":"AROA1","n":"n","s":"x","e":` + exp + `}`,
		"a session without a role name":  `{"a":"111122223333","i":"AROA1","n":"n","s":"x","e":` + exp + `}`,
		"a session without a secret":     `{"a":"111122223333","r":"r","i":"AROA1","n":"n","e":` + exp + `}`,
		"a session without its account":  `{"r":"r","i":"AROA1","n":"n","s":"x","e":` + exp + `}`,
		"an empty object":                `{}`,
		"a null":                         `null`,
		"tags of the wrong shape":        `{"a":"111122223333","r":"r","i":"AROA1","n":"n","s":"x","e":` + exp + `,"tg":"team"}`,
		"an expiry that is not a number": `{"a":"111122223333","r":"r","i":"AROA1","n":"n","s":"x","e":"soon"}`,
	}
	for name, payload := range cases {
		t.Run(name+" is UnrecognizedClientException", func(t *testing.T) {
			_, err := a.Lookup(context.Background(), id, sealRaw(a, id, payload))
			wantUnauthenticated(t, err, "UnrecognizedClientException")
		})
	}
}

func TestIssueSessionRefusesWhatItCannotSeal(t *testing.T) {
	a, _, _, _ := newAuthority(t)
	noKind := session("alice", time.Hour)
	noKind.Kind = ""
	noRole := session("alice", time.Hour)
	noRole.RoleID = ""
	huge := session("alice", time.Hour)
	huge.Policy = strings.Repeat("x", maxTokenLen)
	cases := []struct {
		name string
		s    iam.Session
		kind errs.Kind
		code string
	}{
		{"a session of no kind", noKind, errs.Internal, ""},
		{"a role session without a role id", noRole, errs.Internal, ""},
		{"a session that has already ended", session("alice", 0), errs.Internal, ""},
		{"a session too large for its token", huge, errs.Invalid, "PackedPolicyTooLarge"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := a.IssueSession(tc.s)
			e, ok := errs.As(err)
			if !ok || e.Kind != tc.kind || e.Code != tc.code {
				t.Errorf("err = %v, want kind %v code %q", err, tc.kind, tc.code)
			}
		})
	}
}
