package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/keyward/keyward/internal/aws/samlsp"
	"github.com/keyward/keyward/internal/aws/sts"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/iam"
)

// AccountFederation is AWS's SAML sign-in for account federation
// (https://signin.aws.amazon.com/saml): an identity provider posts a
// Response whose Role attribute lists roles; one role signs the browser in
// to the console at once, several are offered in a role chooser.
type AccountFederation struct {
	// SignIn verifies responses and issues the chosen role's session
	// (sts.Service).
	SignIn interface {
		VerifySAML(ctx context.Context, encoded string) (sts.SAMLAssertion, error)
		SignInWithSAML(ctx context.Context, a sts.SAMLAssertion, pair sts.RolePair) (iam.Session, error)
		LogSAMLRefusal(ctx context.Context, endpoint, role string, err error) error
	}
	// Aliases names the chooser's accounts (store.IAMProviders).
	Aliases interface {
		IAMAccountAlias(ctx context.Context, accountID string) (string, error)
	}
	// Choices seals the verified assertion into the chooser's form, so the
	// browser carries it back unchanged or not at all (a keys.Sealer).
	Choices interface {
		Seal(plaintext, additionalData []byte) []byte
		Open(ciphertext, additionalData []byte) ([]byte, error)
	}
	// Console issues the sign-in token of the chosen role's session
	// (console.Service).
	Console interface {
		SigninTokenFor(role iam.Session, duration time.Duration) (string, error)
	}
	// Clock dates the chooser's choices; nil means the real clock.
	Clock clock.Clock
}

func (f *AccountFederation) now() time.Time {
	if f.Clock == nil {
		return time.Now()
	}
	return f.Clock.Now()
}

// samlSignInPath is the sign-in route; the chooser posts to its /role.
const samlSignInPath = "/saml"

// choiceLifetime bounds how long a role chooser may be left open.
const choiceLifetime = 10 * time.Minute

// sealedChoice is what the chooser's form carries, sealed.
type sealedChoice struct {
	Assertion  sts.SAMLAssertion
	RelayState string
	Expires    time.Time
}

// samlSignIn takes the identity provider's post.
func (p *Pages) samlSignIn(w http.ResponseWriter, r *http.Request) error {
	ctx := httpx.AuditContext(r)
	form, err := samlForm(w, r)
	if err != nil {
		return p.AccountFederation.SignIn.LogSAMLRefusal(ctx, "signin", "", err)
	}
	a, err := p.AccountFederation.SignIn.VerifySAML(ctx, form.Get("SAMLResponse"))
	if err != nil {
		return err
	}
	switch len(a.Roles) {
	case 0:
		return errs.E(errs.Denied, "Your identity provider signed you in but gave you no role in an account this sign-in trusts. "+
			"Ask your administrator to map you to a role in the AWS Account Federation app.")
	case 1:
		return p.samlConsole(w, r, a, a.Roles[0], form.Get("RelayState"))
	}
	return p.roleChooser(w, r, a, form.Get("RelayState"))
}

// samlForm reads the identity provider's form post, bounded.
func samlForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, samlsp.MaxFormBytes+samlsp.MaxRelayState+1024)
	if err := r.ParseForm(); err != nil {
		return nil, errUnreadableForm
	}
	if v := r.PostForm["SAMLResponse"]; len(v) != 1 || v[0] == "" {
		return nil, errs.E(errs.Invalid, "This address takes the SAML response your identity provider posts when you sign in to AWS. Sign in at your identity provider again.")
	}
	if len(r.PostForm.Get("RelayState")) > samlsp.MaxRelayState {
		return nil, errs.E(errs.Invalid, "The RelayState your identity provider sent is too long.")
	}
	return r.PostForm, nil
}

// samlChoice takes the role chooser's post: the sealed assertion and a role
// it offers.
func (p *Pages) samlChoice(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxChoiceForm)
	if err := r.ParseForm(); err != nil {
		return p.AccountFederation.SignIn.LogSAMLRefusal(httpx.AuditContext(r), "signin", "", errUnreadableForm)
	}
	var c sealedChoice
	raw, err := base64.RawURLEncoding.DecodeString(r.PostForm.Get("choice"))
	if err == nil {
		raw, err = p.AccountFederation.Choices.Open(raw, []byte(choiceAD))
	}
	role := r.PostForm.Get("role")
	if err != nil || json.Unmarshal(raw, &c) != nil || !p.AccountFederation.now().Before(c.Expires) {
		return p.AccountFederation.SignIn.LogSAMLRefusal(httpx.AuditContext(r), "signin", role,
			errs.E(errs.Unauthenticated, "This role selection has expired or is not valid. Sign in at your identity provider again."))
	}
	for _, pair := range c.Assertion.Roles {
		if pair.RoleARN == role {
			return p.samlConsole(w, r, c.Assertion, pair, c.RelayState)
		}
	}
	return p.AccountFederation.SignIn.LogSAMLRefusal(httpx.AuditContext(r), "signin", role, errs.E(errs.Invalid, "Select one of the roles offered."))
}

// maxChoiceForm bounds the chooser's post: a sealed assertion without its
// attributes and metadata, and a role ARN.
const maxChoiceForm = 64 << 10

const choiceAD = "keyward saml role choice"

// samlConsole signs the browser in to the console as pair's session.
func (p *Pages) samlConsole(w http.ResponseWriter, r *http.Request, a sts.SAMLAssertion, pair sts.RolePair, relay string) error {
	ctx := httpx.AuditContext(r)
	sess, err := p.AccountFederation.SignIn.SignInWithSAML(ctx, a, pair)
	if err != nil {
		return err
	}
	tok, err := p.AccountFederation.Console.SigninTokenFor(sess, 0)
	if err != nil {
		return err
	}
	cookie, cs, err := p.Console.Login(ctx, tok, "")
	if err != nil {
		return err
	}
	dest, err := consoleDestination(relay)
	if err != nil {
		dest = consolePath // a RelayState that is no console address is ignored, as AWS does
	}
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: cookie, Path: consolePath, Expires: cs.Expires,
		HttpOnly: true, Secure: p.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, dest, http.StatusSeeOther)
	return nil
}

// chooserAccount is one account of the role chooser.
type chooserAccount struct {
	ID, Alias string
	Roles     []chooserRole
}

type chooserRole struct {
	RoleARN, Name string
}

type chooserData struct {
	Subject  string
	Choice   string
	Accounts []chooserAccount
}

// roleChooser shows the assertion's roles grouped by account, the sealed
// assertion in the form.
func (p *Pages) roleChooser(w http.ResponseWriter, r *http.Request, a sts.SAMLAssertion, relay string) error {
	slim := a
	slim.Attributes, slim.Provider.Metadata, slim.Provider.Certificates = nil, "", nil
	raw, err := json.Marshal(sealedChoice{Assertion: slim, RelayState: relay, Expires: p.AccountFederation.now().Add(choiceLifetime)})
	if err != nil {
		return err
	}
	d := chooserData{Subject: a.NameID, Choice: base64.RawURLEncoding.EncodeToString(p.AccountFederation.Choices.Seal(raw, []byte(choiceAD)))}
	byID := map[string]*chooserAccount{}
	for _, pair := range a.Roles {
		parts := strings.SplitN(pair.RoleARN, ":", 6)
		acct := byID[parts[4]]
		if acct == nil {
			alias, err := p.AccountFederation.Aliases.IAMAccountAlias(r.Context(), parts[4])
			if err != nil {
				return err
			}
			acct = &chooserAccount{ID: parts[4], Alias: alias}
			byID[parts[4]] = acct
		}
		acct.Roles = append(acct.Roles, chooserRole{RoleARN: pair.RoleARN, Name: parts[5][strings.LastIndex(parts[5], "/")+1:]})
	}
	for _, acct := range byID {
		d.Accounts = append(d.Accounts, *acct)
	}
	sort.Slice(d.Accounts, func(i, j int) bool { return d.Accounts[i].ID < d.Accounts[j].ID })
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, http.StatusOK, "saml_roles.html", view{Title: "Select a role", Data: d})
	return nil
}
