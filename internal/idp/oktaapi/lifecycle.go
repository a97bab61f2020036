package oktaapi

import (
	"net/http"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// lifecycleEvents are the system-log event types of the lifecycle
// operations.
var lifecycleEvents = map[directory.Op]string{
	directory.OpActivate:       "user.lifecycle.activate",
	directory.OpReactivate:     "user.lifecycle.reactivate",
	directory.OpDeactivate:     "user.lifecycle.deactivate",
	directory.OpSuspend:        "user.lifecycle.suspend",
	directory.OpUnsuspend:      "user.lifecycle.unsuspend",
	directory.OpUnlock:         "user.account.unlock_by_admin",
	directory.OpExpirePassword: "user.account.expire_password",
	directory.OpResetPassword:  "user.account.reset_password",
}

// lifecycleAction is the permission each operation needs: changing who
// may sign in is user management; helping someone back in is credentials.
var lifecycleAction = map[directory.Op]directory.Action{
	directory.OpActivate: directory.ManageUsers, directory.OpReactivate: directory.ManageUsers,
	directory.OpDeactivate: directory.ManageUsers, directory.OpSuspend: directory.ManageUsers,
	directory.OpUnsuspend: directory.ManageUsers, directory.OpUnlock: directory.ManageCredentials,
	directory.OpExpirePassword: directory.ManageCredentials, directory.OpResetPassword: directory.ManageCredentials,
}

// transition applies op to the user and logs it.
func (a *API) transition(r *http.Request, id string, op directory.Op) (directory.User, error) {
	u, err := a.cfg.Store.UpdateUser(r.Context(), id, lifecycleEvents[op], func(u directory.User) (directory.User, error) {
		return directory.Transition(u, op, a.now())
	})
	if (op == directory.OpSuspend || op == directory.OpUnsuspend) && errs.Is(err, errs.Conflict) {
		// Okta answers a refused suspend or unsuspend with a validation error.
		return u, errs.E(errs.Invalid, "%s", messageOf(err)).WithCode(codeValidation)
	}
	return u, err
}

// lifecycle is POST /api/v1/users/{id}/lifecycle/{op}.
func (a *API) lifecycle(w http.ResponseWriter, r *http.Request, c *caller) error {
	op := directory.Op(r.PathValue("op"))
	action, ok := lifecycleAction[op]
	if !ok {
		return notFound("operation", string(op))
	}
	sendEmail, err := a.sendEmail(r, op)
	if err != nil {
		return err
	}
	revoke, err := boolParam(r, "revokeSessions", false)
	if err != nil {
		return err
	}
	target, err := a.authorizeUser(r, c, r.PathValue("id"), action)
	if err != nil {
		return err
	}
	if target.ID == c.user.ID && (op == directory.OpDeactivate || op == directory.OpSuspend) {
		return errs.E(errs.Invalid, "id: you cannot %s yourself", op)
	}
	u, err := a.transition(r, target.ID, op)
	if err != nil {
		return err
	}
	return a.lifecycleResult(w, r, op, u, sendEmail, revoke)
}

// sendEmail reads sendEmail where Okta takes it. keyward sends no email,
// so only sendEmail=false returns a usable link.
func (a *API) sendEmail(r *http.Request, op directory.Op) (bool, error) {
	switch op {
	case directory.OpResetPassword:
		if r.URL.Query().Get("sendEmail") == "" {
			return false, errs.E(errs.Invalid, "sendEmail: required")
		}
		return boolParam(r, "sendEmail", false)
	case directory.OpActivate:
		return boolParam(r, "sendEmail", true)
	}
	return boolParam(r, "sendEmail", false)
}

// lifecycleResult writes what each operation returns: a one-time link for
// activation and reset, the user for expire_password, nothing otherwise.
func (a *API) lifecycleResult(w http.ResponseWriter, r *http.Request, op directory.Op, u directory.User, sendEmail, revoke bool) error {
	switch {
	case op == directory.OpExpirePassword:
		writeJSON(w, http.StatusOK, a.userJSON(u))
	case op == directory.OpResetPassword:
		if revoke {
			if _, err := a.cfg.Store.EndUserSessions(r.Context(), u.ID); err != nil {
				return err
			}
		}
		return a.writeLink(w, r, u, directory.ResetToken, "/reset_password/", sendEmail)
	case (op == directory.OpActivate || op == directory.OpReactivate) && u.Status == directory.Provisioned:
		return a.writeLink(w, r, u, directory.ActivationToken, "/welcome/", sendEmail)
	default:
		writeJSON(w, http.StatusOK, struct{}{})
	}
	return nil
}

// writeLink makes a one-time link token and returns its URL (Okta's
// UserActivationToken or ResetPasswordToken), or {} when the caller asked
// for an email, which keyward does not send.
func (a *API) writeLink(w http.ResponseWriter, r *http.Request, u directory.User, purpose directory.UserTokenPurpose, path string, sendEmail bool) error {
	if sendEmail {
		writeJSON(w, http.StatusOK, struct{}{})
		return nil
	}
	secret := clock.Token(a.cfg.Random, 32)
	now := a.now()
	t := directory.UserToken{Hash: keys.HashSecret(secret), UserID: u.ID, Purpose: purpose,
		Created: now, ExpiresAt: now.Add(a.cfg.LinkLifetime)}
	if err := a.cfg.Store.CreateUserToken(r.Context(), t); err != nil {
		return err
	}
	link := a.cfg.OrgURL + path + secret
	if purpose == directory.ResetToken {
		writeJSON(w, http.StatusOK, map[string]string{"resetPasswordUrl": link})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"activationUrl": link, "activationToken": secret})
	return nil
}

// resetFactors is POST /api/v1/users/{id}/lifecycle/reset_factors.
func (a *API) resetFactors(w http.ResponseWriter, r *http.Request, c *caller) error {
	u, err := a.authorizeUser(r, c, r.PathValue("id"), directory.ManageCredentials)
	if err != nil {
		return err
	}
	if err := a.cfg.Store.DeleteFactors(r.Context(), u.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// endSessions is DELETE /api/v1/users/{id}/sessions; with
// oauthTokens=true it also revokes every OpenID Connect and OAuth token
// issued to the person (their refresh tokens are not tied to a session,
// so ending sessions alone leaves them working).
func (a *API) endSessions(w http.ResponseWriter, r *http.Request, c *caller) error {
	revokeTokens, err := boolParam(r, "oauthTokens", false)
	if err != nil {
		return err
	}
	u, err := a.authorizeUser(r, c, r.PathValue("id"), directory.ManageCredentials)
	if err != nil {
		return err
	}
	if _, err := a.cfg.Store.EndUserSessions(r.Context(), u.ID); err != nil {
		return err
	}
	if revokeTokens {
		if _, err := a.cfg.Store.RevokeUserOAuthTokens(r.Context(), u.ID); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
