package orgpages

import (
	"net/http"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/web/look"
)

// Okta's link paths: activation under /welcome/, reset under
// /reset_password/.
func (p *Pages) linkRoutes(mux *http.ServeMux) {
	for path, purpose := range map[string]directory.UserTokenPurpose{
		"/welcome/{token}": directory.ActivationToken, "/reset_password/{token}": directory.ResetToken,
	} {
		mux.Handle("GET "+path, p.public(p.linkPage(purpose)))
		mux.Handle("POST "+path, p.public(p.useLink(purpose)))
	}
}

// linkData fills the set-password page.
type linkData struct {
	Login    string
	Activate bool
}

func linkTitle(purpose directory.UserTokenPurpose) string {
	if purpose == directory.ActivationToken {
		return "Welcome: choose your password"
	}
	return "Choose a new password"
}

// linkPage shows the set-password form of a live link.
func (p *Pages) linkPage(purpose directory.UserTokenPurpose) publicFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := p.SignIn.LinkUser(r.Context(), r.PathValue("token"), purpose)
		if err != nil {
			return err
		}
		p.render(w, r, http.StatusOK, "setpassword.html", view{Title: linkTitle(purpose),
			Data: linkData{Login: u.Login(), Activate: purpose == directory.ActivationToken}})
		return nil
	}
}

// useLink sets the password and spends the link, then sends the person
// to sign in with it.
func (p *Pages) useLink(purpose directory.UserTokenPurpose) publicFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := readForm(w, r); err != nil {
			return err
		}
		token := r.PathValue("token")
		u, err := p.SignIn.LinkUser(r.Context(), token, purpose)
		if err != nil {
			return err
		}
		pw := r.PostForm.Get("password")
		if pw != r.PostForm.Get("confirm") {
			err = errs.E(errs.Invalid, "The two passwords differ.")
		} else {
			_, err = p.SignIn.UseLink(httpx.AuditContext(r), token, purpose, pw)
		}
		if look.IsRefusal(err) && !errs.Is(err, errs.NotFound) {
			p.render(w, r, look.StatusFor(err), "setpassword.html", view{Title: linkTitle(purpose), Error: look.Message(err),
				Data: linkData{Login: u.Login(), Activate: purpose == directory.ActivationToken}})
			return nil
		}
		if err != nil {
			return err
		}
		p.render(w, r, http.StatusOK, "login.html", view{Title: "Sign in", Note: "Your password is set. Sign in with it.",
			Data: loginData{Next: homePath, Login: u.Login()}})
		return nil
	}
}
