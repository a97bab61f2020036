package oktaapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// userBody is CreateUserRequest and UpdateUserRequest.
type userBody struct {
	Profile     directory.Profile `json:"profile"`
	Credentials *credentialsBody  `json:"credentials"`
	GroupIDs    []string          `json:"groupIds"`
	Type        *idJSON           `json:"type"`
}

type credentialsBody struct {
	Password *struct {
		Value *string `json:"value"`
		Hash  any     `json:"hash"`
		Hook  any     `json:"hook"`
	} `json:"password"`
	RecoveryQuestion any `json:"recovery_question"`
	Provider         any `json:"provider"`
}

// maxGroupIDs bounds groupIds on create.
const maxGroupIDs = 100

// password returns the password the body sets, if any, refusing what
// keyward does not support.
func (b userBody) password() (string, bool, error) {
	c := b.Credentials
	if c == nil {
		return "", false, nil
	}
	switch {
	case c.RecoveryQuestion != nil:
		return "", false, errs.E(errs.Invalid, "credentials.recovery_question: recovery questions are not supported")
	case c.Provider != nil:
		return "", false, errs.E(errs.Invalid, "credentials.provider: only OKTA credentials are supported")
	case c.Password == nil:
		return "", false, nil
	case c.Password.Hash != nil || c.Password.Hook != nil:
		return "", false, errs.E(errs.Invalid, "credentials.password: importing hashed passwords or password hooks is not supported")
	case c.Password.Value == nil:
		return "", false, nil
	}
	return *c.Password.Value, true, nil
}

func (b userBody) checkType() error {
	if b.Type != nil && b.Type.ID != "" && b.Type.ID != defaultUserType {
		return errs.E(errs.Invalid, "type.id: keyward has one user type, %q", defaultUserType)
	}
	return nil
}

// createUser is POST /api/v1/users.
func (a *API) createUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	var b userBody
	if err := decodeBody(r, &b, true); err != nil {
		return err
	}
	activate, err := boolParam(r, "activate", true)
	if err != nil {
		return err
	}
	nextLogin := r.URL.Query().Get("nextLogin")
	if nextLogin != "" && nextLogin != "changePassword" {
		return errs.E(errs.Invalid, "nextLogin: the only value is changePassword")
	}
	if err := a.allow(r, c, directory.ManageUsers, directory.Scope{Groups: b.GroupIDs, OrgWide: len(b.GroupIDs) == 0}); err != nil {
		return err
	}
	// Each initial group is a membership the caller must be able to add,
	// as PUT /groups/{groupId}/users/{userId} would require.
	for _, g := range b.GroupIDs {
		if err := a.allow(r, c, directory.ManageMembers, directory.Scope{Groups: []string{g}}); err != nil {
			return err
		}
	}
	u, err := a.newUser(r.Context(), b, activate, nextLogin != "")
	if err != nil {
		return err
	}
	u, err = a.cfg.Store.CreateUser(r.Context(), u, b.GroupIDs)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.userJSON(u))
	return nil
}

// newUser builds the user a create request asks for, in the status Okta
// gives it: STAGED unless activated; then ACTIVE with a password (or
// PASSWORD_EXPIRED when the first sign-in must change it), PROVISIONED
// without one.
func (a *API) newUser(ctx context.Context, b userBody, activate, mustChange bool) (directory.User, error) {
	if len(b.GroupIDs) > maxGroupIDs {
		return directory.User{}, errs.E(errs.Invalid, "groupIds: at most %d", maxGroupIDs)
	}
	if err := b.checkType(); err != nil {
		return directory.User{}, err
	}
	u := directory.User{Profile: b.Profile.Compact()}
	if err := a.validateProfile(ctx, u.Profile); err != nil {
		return u, err
	}
	pw, hasPassword, err := b.password()
	if err != nil {
		return u, err
	}
	var cred directory.Password
	if hasPassword {
		if cred, err = a.newPassword(ctx, u, pw); err != nil {
			return u, err
		}
	}
	u, err = directory.NewUser(u.Profile, cred, activate, a.now())
	if err == nil && mustChange && u.Status == directory.Active {
		u.Status = directory.PasswordExpired
	}
	return u, err
}

func (a *API) validateProfile(ctx context.Context, p directory.Profile) error {
	schema, err := a.cfg.Store.Schema(ctx)
	if err != nil {
		return err
	}
	return schema.Validate(p)
}

// newPassword checks pw against the policy and the user's history and
// returns the credential that replaces u's.
func (a *API) newPassword(ctx context.Context, u directory.User, pw string) (directory.Password, error) {
	if err := a.cfg.Passwords.Check(pw, u); err != nil {
		return directory.Password{}, err
	}
	history := u.Password.History
	if u.Password.Set() {
		history = append([]string{u.Password.Hash}, history...)
	}
	history = history[:min(len(history), a.cfg.Passwords.History)]
	for _, old := range history {
		same, err := a.cfg.Hasher.Verify(ctx, old, pw)
		if err != nil {
			return directory.Password{}, err
		}
		if same {
			return directory.Password{}, errs.E(errs.Invalid,
				"password: Password requirements were not met. Password requirements: not any of your last %d passwords.", a.cfg.Passwords.History)
		}
	}
	hash, err := a.cfg.Hasher.Hash(ctx, pw)
	if err != nil {
		return directory.Password{}, err
	}
	return directory.Password{Hash: hash, Changed: a.now(), History: history}, nil
}

// findUser resolves {id} of /users/{id}: "me", an id, or a login.
func (a *API) findUser(ctx context.Context, c *caller, idOrLogin string) (directory.User, error) {
	if idOrLogin == "me" {
		idOrLogin = c.user.ID
	}
	if directory.ValidID(idOrLogin) {
		u, err := a.cfg.Store.User(ctx, idOrLogin)
		if !errs.Is(err, errs.NotFound) {
			return u, err
		}
	}
	if len(idOrLogin) > 100 || idOrLogin == "" || !validText(idOrLogin) {
		return directory.User{}, notFound(store.ResourceUser, idOrLogin)
	}
	u, err := a.cfg.Store.UserByLogin(ctx, idOrLogin)
	if errs.Is(err, errs.NotFound) {
		return u, notFound(store.ResourceUser, idOrLogin)
	}
	return u, err
}

// readableUser finds the user {id} names for reading: anyone may read
// themselves, administrators anyone.
func (a *API) readableUser(r *http.Request, c *caller) (directory.User, error) {
	u, err := a.findUser(r.Context(), c, r.PathValue("id"))
	if err != nil || u.ID == c.user.ID {
		return u, err
	}
	return u, a.allow(r, c, directory.ReadDirectory, directory.Scope{})
}

func notFound(resource, id string) error {
	return errs.E(errs.NotFound, "not found").WithResource(resource, id)
}

// getUser is GET /api/v1/users/{id}.
func (a *API) getUser(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.readableUser(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.userJSON(u))
	return nil
}

// listUsers is GET /api/v1/users with q, filter or search.
func (a *API) listUsers(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	q := r.URL.Query()
	uq, paged, err := userQuery(q.Get("q"), q.Get("filter"), q.Get("search"))
	if err != nil {
		return err
	}
	def := 200
	if !paged {
		def = 10
	}
	p, err := page(r, def, 200)
	if err != nil {
		return err
	}
	users, next, err := a.cfg.Store.ListUsers(r.Context(), uq, p)
	if err != nil {
		return storePage(err)
	}
	if !paged {
		next = ""
	}
	a.writeList(w, r, a.usersJSON(users), next)
	return nil
}

// userQuery turns the list parameters into what a user must match, and
// reports whether the list pages (q does not). With neither filter nor
// search, DEPROVISIONED users are left out, as Okta does.
func userQuery(qs, filter, search string) (store.UserQuery, bool, error) {
	if n := countSet(qs, filter, search); n > 1 {
		return store.UserQuery{}, false, errs.E(errs.Invalid, "use only one of q, filter and search")
	}
	switch {
	case search != "":
		return userExpr("search", search, directory.UserSearch())
	case filter != "":
		return userExpr("filter", filter, directory.UserFilter())
	}
	hidden := func(u directory.User) bool { return u.Status == directory.Deprovisioned }
	if qs == "" {
		return store.UserQuery{Keep: func(u directory.User) bool { return !hidden(u) }}, true, nil
	}
	prefix := strings.ToLower(qs)
	return store.UserQuery{Keep: func(u directory.User) bool {
		return !hidden(u) && slices.ContainsFunc([]string{"firstName", "lastName", "email"}, func(k string) bool {
			return strings.HasPrefix(strings.ToLower(u.Profile.String(k)), prefix)
		})
	}}, false, nil
}

// userExpr is a search or filter expression as a query: what Match keeps,
// and the equalities every kept user has, which the store may look up by
// index.
func userExpr(param, s string, g directory.Grammar) (store.UserQuery, bool, error) {
	e, err := directory.Parse(s, g)
	if err != nil {
		return store.UserQuery{}, false, errs.E(errs.Invalid, "%s: %s", param, messageOf(err))
	}
	return store.UserQuery{Keep: func(u directory.User) bool { return e.Match(userRecord{u}) }, Require: e.Required()}, true, nil
}

func countSet(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}

// messageOf is an error's client-facing message.
func messageOf(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Message
	}
	return err.Error()
}
