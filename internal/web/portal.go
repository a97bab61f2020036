package web

import (
	"net/http"
	"net/url"

	"github.com/keyward/keyward/internal/aws/awsauth"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const accountsPerPage = 50

type homeData struct {
	Accounts []ic.Account
	Next     string
}

// home lists the accounts the signed-in user can use.
func (p *Pages) home(w http.ResponseWriter, r *http.Request) {
	u := p.user(r)
	if u == nil {
		p.askSignIn(w, r, http.StatusOK, "", "")
		return
	}
	accts, next, err := p.Directory.UserAccounts(r.Context(), u.ID, store.Page{Limit: accountsPerPage, Token: r.URL.Query().Get("page")})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if next != "" {
		next = "/start?page=" + url.QueryEscape(next)
	}
	p.render(w, r, http.StatusOK, "home.html", page{Title: "AWS access portal", User: u, Data: homeData{Accounts: accts, Next: next}})
}

type accountData struct {
	Account ic.Account
	Roles   []ic.Entitlement
}

// account lists the user's roles on one account.
func (p *Pages) account(w http.ResponseWriter, r *http.Request) {
	u := p.user(r)
	if u == nil {
		p.askSignIn(w, r, http.StatusOK, "", "")
		return
	}
	id := r.PathValue("id")
	if !ic.ValidAccountID(id) {
		p.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", User: u, Error: "There is no such account."})
		return
	}
	ents, _, err := p.Directory.UserRoles(r.Context(), u.ID, id, store.Page{Limit: 100})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	if len(ents) == 0 {
		p.render(w, r, http.StatusNotFound, "error.html", page{Title: "Not found", User: u, Error: "You have no roles in this account."})
		return
	}
	p.render(w, r, http.StatusOK, "account.html", page{Title: ents[0].Account.Name, User: u,
		Data: accountData{Account: ents[0].Account, Roles: ents}})
}

type credentialsData struct {
	AccountID, RoleName, StartURL, Region string
	Credentials                           awsauth.Credentials
}

// credentials shows short-lived credentials for one role, and the values
// `aws configure sso` asks for.
func (p *Pages) credentials(w http.ResponseWriter, r *http.Request) {
	u := p.user(r)
	if u == nil {
		p.askSignIn(w, r, http.StatusOK, "", "")
		return
	}
	q := r.URL.Query()
	accountID, roleName := q.Get("account_id"), q.Get("role_name")
	c, err := p.Credentials.RoleCredentials(auditCtx(r, *u), *u, accountID, roleName)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.render(w, r, http.StatusOK, "credentials.html", page{Title: "Command line or programmatic access", User: u,
		Data: credentialsData{AccountID: accountID, RoleName: roleName, StartURL: p.StartURL, Region: p.Region, Credentials: c}})
}
