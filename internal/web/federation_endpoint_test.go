package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/iam"
)

// SessionDuration is 900 to 43200 seconds as written: 0 is not "absent",
// and a number so large that it wraps around in nanoseconds is not the
// hour it wraps to.
func TestGetSigninTokenRefusesAnOutOfRangeSessionDuration(t *testing.T) {
	f := newSAMLFixture(t)
	c, err := f.auth.IssueSession(iam.Session{Kind: iam.KindAssumedRole, AccountID: fedAccount, RoleID: "AROAEXAMPLEEXAMPLE1",
		RoleName: "Admin", SessionName: "alice", Expires: time.Now().Add(time.Hour)})
	must(t, err)
	session, err := json.Marshal(map[string]string{"sessionId": c.AccessKeyID, "sessionKey": c.SecretAccessKey, "sessionToken": c.SessionToken})
	must(t, err)
	get := func(duration string) int {
		q := url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}, "SessionDuration": {duration}}
		w := httptest.NewRecorder()
		f.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://aws.keyward.test/federation?"+q.Encode(), nil))
		return w.Code
	}
	if code := get("3600"); code != http.StatusOK {
		t.Fatalf("SessionDuration=3600 answered %d", code)
	}
	wraps := strconv.FormatInt(3600+1<<55, 10) // times 10^9 is 3600 s modulo 2^64
	for _, d := range []string{"0", "899", "43201", "-3600", wraps, "1e3", "3600.5"} {
		if code := get(d); code != http.StatusBadRequest {
			t.Errorf("SessionDuration=%s answered %d, want 400", d, code)
		}
	}
}
