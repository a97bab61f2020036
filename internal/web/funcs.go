package web

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/portal"
	"github.com/keyward/keyward/internal/httpx"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

var funcs = template.FuncMap{
	"utc": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") },
}

// auditCtx is r's context with the signed-in user as the audit actor.
func auditCtx(r *http.Request, u ic.User) context.Context {
	return audit.WithActor(httpx.AuditContext(r), audit.Actor{Type: "user", ID: u.ID, Name: u.Profile.UserName})
}

// signInCtx is auditCtx carrying the attributes for access control the
// session's sign-in asserted, for the role sessions it mints to be tagged.
func signInCtx(r *http.Request, s session) context.Context {
	return portal.WithAccessControl(auditCtx(r, s.User), s.Portal.AccessControl)
}
