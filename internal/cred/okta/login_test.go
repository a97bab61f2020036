package okta

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/cred/credtest"
)

// scriptedOrg answers the device flow the way an Okta org may but keyward
// never does to a client that keeps the interval: it refuses
// offline_access, and answers polls from a script (slow_down, denial,
// expiry). The sign-in against keyward itself is tested end to end in
// internal/e2e (TestCredentialCLIOktaSource).
type scriptedOrg struct {
	mu     sync.Mutex
	scopes []string // the scope of each device authorization
	polls  []string // the error of each poll; "" answers tokens
}

func (o *scriptedOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/oauth2/v1/device/authorize":
		o.scopes = append(o.scopes, r.PostForm.Get("scope"))
		if strings.Contains(r.PostForm.Get("scope"), "offline_access") {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_scope", "error_description": "offline_access is not allowed"})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"device_code": "dc", "user_code": "ABCD-EFGH", "expires_in": 600, "interval": 2,
			"verification_uri": "https://org/activate", "verification_uri_complete": "https://org/activate?user_code=ABCD-EFGH"})
	case "/oauth2/v1/token":
		next := o.polls[0]
		o.polls = o.polls[1:]
		if next != "" {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": next})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "id_token": "idt", "token_type": "Bearer", "expires_in": 3600})
	default:
		http.NotFound(w, r)
	}
}

type approveNothing struct{}

func (approveNothing) Approve(string, string) error { return nil }

func TestLoginPollsAtTheIntervalAndSlowsDownWhenAsked(t *testing.T) {
	for _, c := range []struct {
		name  string
		polls []string
		waits []time.Duration
		err   string
	}{
		{"pending, slow_down, pending, approved", []string{"authorization_pending", "slow_down", "authorization_pending", ""},
			[]time.Duration{2 * time.Second, 7 * time.Second, 7 * time.Second}, ""},
		{"denied", []string{"authorization_pending", "access_denied"}, []time.Duration{2 * time.Second}, "denied"},
		{"the code expired", []string{"expired_token"}, nil, "not approved in time"},
		{"an unexpected error", []string{"invalid_grant"}, nil, "invalid_grant"},
	} {
		t.Run(c.name, func(t *testing.T) {
			org := &scriptedOrg{polls: c.polls}
			srv := httptest.NewServer(org)
			defer srv.Close()
			keep := &credtest.Keeper{}
			cl := New(Source{Name: "corp", OrgURL: srv.URL, ClientID: "0oacli"}, keep)
			var waits []time.Duration
			cl.after = func(d time.Duration) <-chan time.Time {
				waits = append(waits, d)
				ch := make(chan time.Time, 1)
				ch <- time.Now()
				return ch
			}
			err := cl.Login(context.Background(), approveNothing{})
			if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
				t.Fatalf("Login: %v, want %q", err, c.err)
			}
			if !slices.Equal(waits, c.waits) {
				t.Errorf("waited %v between polls, want %v", waits, c.waits)
			}
			if want := []string{strings.Join(Scopes, " "), "openid okta.apps.sso okta.apps.read okta.users.read.self"}; !slices.Equal(org.scopes, want) {
				t.Errorf("asked for scopes %q, want offline_access first, then okta-aws-cli's scopes", org.scopes)
			}
			_, kept := keep.Get(context.Background(), cl.key("tokens"))
			if (kept == nil) != (c.err == "") {
				t.Errorf("kept tokens: %v, want kept only after approval", kept == nil)
			}
		})
	}
}

func TestASignInWithoutARefreshTokenEndsWithItsAccessToken(t *testing.T) {
	srv := httptest.NewServer(&scriptedOrg{polls: []string{""}})
	defer srv.Close()
	keep := &credtest.Keeper{}
	src := Source{Name: "corp", OrgURL: srv.URL, ClientID: "0oacli"}
	if err := New(src, keep).Login(context.Background(), approveNothing{}); err != nil {
		t.Fatal(err)
	}
	later := New(src, keep)
	later.Now = func() time.Time { return time.Now().Add(time.Hour) }
	_, err := later.Roles(context.Background())
	var si *SignInError
	if !errors.As(err, &si) || !strings.Contains(err.Error(), "Refresh Token grant type") ||
		!strings.Contains(err.Error(), "run: keyward login --okta-org "+srv.URL+" --okta-client-id 0oacli --okta-session corp") {
		t.Errorf("err = %v, want a sign-in error naming the missing grant and what to run", err)
	}
}
