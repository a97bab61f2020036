package web

import (
	"context"
	"errors"
	"github.com/keyward/keyward/internal/web/look"
	"net/http"
	"strings"
	"testing"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
	"github.com/keyward/keyward/internal/store/sqlite"
)

// errGone is what a store returns when its database is unreachable: not an
// *errs.Error, so our failure and not the person's.
var errGone = errors.New("sqlite: disk I/O error: the database is gone")

// Each broken* type is the real store with one method failing as if its
// database had gone away.
type (
	brokenSessions   struct{ *sqlite.DB }
	brokenAccounts   struct{ *sqlite.DB }
	brokenRoles      struct{ *sqlite.DB }
	brokenDevices    struct{ *sqlite.DB }
	brokenUsers      struct{ *sqlite.DB }
	brokenSignOut    struct{ *sqlite.DB }
	brokenRoleLookup struct{ *sqlite.DB }
)

func (brokenSessions) PortalSession(context.Context, string) (ic.PortalSession, error) {
	return ic.PortalSession{}, errGone
}

func (brokenAccounts) UserAccounts(context.Context, string, store.Page) ([]ic.Account, string, error) {
	return nil, "", errGone
}

func (brokenRoles) UserRoles(context.Context, string, string, store.Page) ([]ic.Entitlement, string, error) {
	return nil, "", errGone
}

func (brokenDevices) DeviceAuthorizationByUserCode(context.Context, string) (ic.DeviceAuthorization, error) {
	return ic.DeviceAuthorization{}, errGone
}

func (brokenUsers) UserByName(context.Context, string) (ic.User, error) { return ic.User{}, errGone }

func (brokenSignOut) DeletePortalSession(context.Context, string) error { return errGone }

func (brokenRoleLookup) UserRole(context.Context, string, string, string) (ic.Entitlement, error) {
	return ic.Entitlement{}, errGone
}

func TestAStoreFailureIsALogged500PageNeverTheSignInFormOrAnEmptyList(t *testing.T) {
	const form = "username=alice&password=correct-horse&next=%2Fstart"
	for _, tt := range []struct {
		name         string
		wrap         func(*sqlite.DB) pageStore
		method, path string
		form         string
		notShown     string // what the page would wrongly have shown
	}{
		{"the session cannot be looked up", func(db *sqlite.DB) pageStore { return brokenSessions{db} }, "GET", "/start", "", `id="signin"`},
		{"the accounts cannot be listed", func(db *sqlite.DB) pageStore { return brokenAccounts{db} }, "GET", "/start", "", `id="no-accounts"`},
		{"the roles cannot be listed", func(db *sqlite.DB) pageStore { return brokenRoles{db} }, "GET", "/start/account/111122223333", "", "no roles"},
		{"the credentials cannot be minted", func(db *sqlite.DB) pageStore { return brokenRoleLookup{db} }, "GET", "/start/credentials?account_id=111122223333&role_name=DevOps", "", "No access"},
		{"a device code cannot be looked up", func(db *sqlite.DB) pageStore { return brokenDevices{db} }, "GET", "/device?user_code=BCDF-GHJK", "", `id="enter-code"`},
		{"a device decision cannot be recorded", func(db *sqlite.DB) pageStore { return brokenDevices{db} }, "POST", "/device", "user_code=BCDF-GHJK&action=allow", `id="enter-code"`},
		{"the sign-in cannot check the user", func(db *sqlite.DB) pageStore { return brokenUsers{db} }, "POST", "/start/signin", form, `id="signin"`},
		{"the sign-out cannot end the session", func(db *sqlite.DB) pageStore { return brokenSignOut{db} }, "POST", "/start/signout", "", "Max-Age=0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.wrap)
			got := f.serve(tt.method, tt.path, tt.form, f.session())
			wantOurFailure(t, f, got)
			if strings.Contains(got.body, tt.notShown) || strings.Contains(got.header.Get("Set-Cookie"), tt.notShown) {
				t.Errorf("the page shows %q as if nothing had failed\n%s", tt.notShown, got.body)
			}
		})
	}
}

// wantOurFailure checks got is the 500 page, naming the request id that the
// log line about the failure carries too.
func wantOurFailure(t *testing.T, f *fixture, got response) {
	t.Helper()
	if got.status != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", got.status)
	}
	if msg := got.shownError(); msg != "Something went wrong on our side. Try again in a moment." {
		t.Errorf("the page says %q, want that something went wrong on our side", msg)
	}
	id := got.header.Get("x-amzn-RequestId")
	if id == "" || !strings.Contains(got.body, `<code id="request-id">`+id+`</code>`) {
		t.Errorf("the page does not show the request id %q\n%s", id, got.body)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "request_id="+id) || !strings.Contains(logs, errGone.Error()) {
		t.Errorf("the failure was not logged with its cause and request id %s; the log is:\n%s", id, logs)
	}
	if strings.Contains(got.body, errGone.Error()) {
		t.Error("the page shows the internal error to the person")
	}
}

func TestAClientErrorShowsItsStatusAndMessage(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.session()
	for _, tt := range []struct {
		name, path string
		status     int
		message    string
	}{
		{"a forged page of accounts is a bad request", "/start?page=forged", http.StatusBadRequest, "This link to more accounts is not valid."},
		{"a role the person does not have is denied", "/start/credentials?account_id=111122223333&role_name=Admin",
			http.StatusForbidden, "No access to role Admin in account 111122223333"},
		{"credentials without a role are a bad request", "/start/credentials?account_id=111122223333",
			http.StatusBadRequest, "account_id and role_name are required"},
		{"an account id that is not one is not found", "/start/account/dev", http.StatusNotFound, "There is no such account."},
		{"an account without the person's roles is not found", "/start/account/999999999999", http.StatusNotFound,
			"You have no roles in this account."},
		{"an unknown device code is not found", "/device?user_code=BCDF-GHJK", http.StatusNotFound, "That code is not valid."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := f.serve(http.MethodGet, tt.path, "", alice)
			if got.status != tt.status || !strings.HasPrefix(got.shownError(), tt.message) {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, got.status, got.shownError(), tt.status, tt.message)
			}
			if strings.Contains(got.body, `id="request-id"`) || f.logs.Len() > 0 {
				t.Errorf("a client error is treated as our failure: request id shown or logged\n%s", f.logs)
			}
		})
	}
	t.Run("too many device codes tried is throttled", func(t *testing.T) {
		var got response
		for range 11 {
			got = f.serve(http.MethodGet, "/device?user_code=BCDF-GHJK", "", alice)
		}
		if got.status != http.StatusTooManyRequests || got.shownError() != "Too many codes tried. Wait a minute and try again." {
			t.Errorf("the 11th code = %d %q, want 429 saying to wait", got.status, got.shownError())
		}
	})
}

func TestAnErrorMapsToTheStatusOfItsKind(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{errs.E(errs.Invalid, "bad"), http.StatusBadRequest},
		{errs.E(errs.Unauthenticated, "who"), http.StatusUnauthorized},
		{errs.E(errs.Denied, "no"), http.StatusForbidden},
		{errs.E(errs.NotFound, "none"), http.StatusNotFound},
		{errs.E(errs.Conflict, "taken"), http.StatusConflict},
		{errs.E(errs.Throttled, "slow down"), http.StatusTooManyRequests},
		{errs.E(errs.Internal, "ours"), http.StatusInternalServerError},
		{errGone, http.StatusInternalServerError},
	} {
		if got := look.StatusFor(tt.err); got != tt.want {
			t.Errorf("look.StatusFor(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
