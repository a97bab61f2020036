package web

import (
	"net/http"
	"net/url"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/store"
)

const accountsPerPage = 50

// errBadPageLink answers a "More accounts" link whose page token was not
// made by the store (edited, or cut short when copied).
var errBadPageLink = errs.E(errs.Invalid, "This link to more accounts is not valid. Start again from the first page of the portal.")

type homeData struct {
	Accounts []ic.Account
	Next     string
}

// home lists the accounts the signed-in user can use.
func (p *Pages) home(w http.ResponseWriter, r *http.Request, s session) error {
	accts, next, err := p.Directory.UserAccounts(r.Context(), s.User.ID, store.Page{Limit: accountsPerPage, Token: r.URL.Query().Get("page")})
	if errs.Is(err, errs.Invalid) { // the store's only invalid input here is the page token
		return errBadPageLink
	}
	if err != nil {
		return err
	}
	if next != "" {
		next = "/start?page=" + url.QueryEscape(next)
	}
	p.render(w, r, http.StatusOK, "home.html", view{Title: "AWS access portal", User: &s.User, Data: homeData{Accounts: accts, Next: next}})
	return nil
}

type accountData struct {
	Account ic.Account
	Roles   []ic.Entitlement
}

// account lists the user's roles on one account.
func (p *Pages) account(w http.ResponseWriter, r *http.Request, s session) error {
	id := r.PathValue("id")
	if !ic.ValidAccountID(id) {
		return errs.E(errs.NotFound, "There is no such account.")
	}
	ents, _, err := p.Directory.UserRoles(r.Context(), s.User.ID, id, store.Page{Limit: 100})
	if err != nil {
		return err
	}
	if len(ents) == 0 {
		return errs.E(errs.NotFound, "You have no roles in this account.")
	}
	p.render(w, r, http.StatusOK, "account.html", view{Title: ents[0].Account.Name, User: &s.User,
		Data: accountData{Account: ents[0].Account, Roles: ents}})
	return nil
}

type credentialsData struct {
	AccountID, RoleName, StartURL, Region string
	Credentials                           awsauth.Credentials
}

// credentials shows short-lived credentials for one role, and the values
// `aws configure sso` asks for.
func (p *Pages) credentials(w http.ResponseWriter, r *http.Request, s session) error {
	q := r.URL.Query()
	accountID, roleName := q.Get("account_id"), q.Get("role_name")
	c, err := p.Credentials.RoleCredentials(signInCtx(r, s), s.User, accountID, roleName)
	if err != nil {
		return err
	}
	p.render(w, r, http.StatusOK, "credentials.html", view{Title: "Command line or programmatic access", User: &s.User,
		Data: credentialsData{AccountID: accountID, RoleName: roleName, StartURL: p.StartURL, Region: p.Region, Credentials: c}})
	return nil
}
