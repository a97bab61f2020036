package orgpages

import (
	"net/http"
	"strings"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/web/look"
)

func (p *Pages) signInRoutes(mux *http.ServeMux) {
	mux.Handle("GET /login", p.public(p.loginPage))
	mux.Handle("POST /login", p.public(p.submitLogin))
	mux.Handle("GET /login/step", p.public(p.stepPage))
	mux.Handle("POST /login/step", p.public(p.submitStep))
	mux.Handle("POST /login/signout", p.public(p.signOut))
}

// loginData fills the sign-in pages.
type loginData struct {
	Next  string
	Login string
	Step  orgsignin.Step
	// Enrollment, at the enrolment step: the QR code and the secret.
	QR     string
	Secret string
	// At the factor step: whether the person has an authenticator app,
	// and the security-key check when they have a key.
	HasTOTP bool
	Key     *keyCeremony
}

// askSignIn shows the username form with status and message msg, coming
// back to next afterwards.
func (p *Pages) askSignIn(w http.ResponseWriter, r *http.Request, status int, msg, next string) {
	p.render(w, r, status, "login.html", view{Title: "Sign in", Error: msg, Data: loginData{Next: next}})
}

func (p *Pages) loginPage(w http.ResponseWriter, r *http.Request) error {
	p.askSignIn(w, r, http.StatusOK, "", safeNext(r.URL.Query().Get("next")))
	return nil
}

// submitLogin takes the username and moves to the password step. It says
// nothing about whether the login exists.
func (p *Pages) submitLogin(w http.ResponseWriter, r *http.Request) error {
	if err := readForm(w, r); err != nil {
		return err
	}
	login := strings.TrimSpace(r.PostForm.Get("username"))
	next := safeNext(r.PostForm.Get("next"))
	if login == "" || len(login) > 100 {
		p.render(w, r, http.StatusBadRequest, "login.html", view{Title: "Sign in", Error: "Enter your username.", Data: loginData{Next: next}})
		return nil
	}
	return p.toStep(w, r, orgsignin.State{Login: login, Step: orgsignin.StepPassword, Next: next})
}

// toStep keeps st in its cookie and shows its step (POST, redirect, GET).
func (p *Pages) toStep(w http.ResponseWriter, r *http.Request, st orgsignin.State) error {
	if st.Step == orgsignin.StepDone {
		return p.finish(w, r, st)
	}
	p.setCookie(w, stateCookie, p.SignIn.Seal(st), int(orgsignin.StateLifetime.Seconds()))
	http.Redirect(w, r, "/login/step", http.StatusSeeOther)
	return nil
}

// finish starts the session and goes where the sign-in was headed.
func (p *Pages) finish(w http.ResponseWriter, r *http.Request, st orgsignin.State) error {
	value, ss, err := p.SignIn.StartSession(httpx.AuditContext(r), st, httpx.ClientIP(r), httpx.UserAgent(r))
	if err != nil {
		return err
	}
	p.setCookie(w, stateCookie, "", -1)
	p.setCookie(w, sessionCookie, value, int(ss.ExpiresAt.Sub(ss.LastActive).Seconds()))
	http.Redirect(w, r, safeNext(st.Next), http.StatusSeeOther)
	return nil
}

// state reads the sign-in in progress; without one the person starts over.
func (p *Pages) state(r *http.Request) (orgsignin.State, error) {
	c, err := r.Cookie(stateCookie)
	if err != nil {
		return orgsignin.State{}, errs.E(errs.Unauthenticated, "Your sign-in took too long or was interrupted. Start again.")
	}
	return p.SignIn.Open(c.Value)
}

// stepPage shows the page of the step the sign-in stands at.
func (p *Pages) stepPage(w http.ResponseWriter, r *http.Request) error {
	st, err := p.state(r)
	if err != nil {
		return err
	}
	return p.showStep(w, r, st, http.StatusOK, "")
}

func (p *Pages) showStep(w http.ResponseWriter, r *http.Request, st orgsignin.State, status int, msg string) error {
	d := loginData{Next: st.Next, Login: st.Login, Step: st.Step}
	title := map[orgsignin.Step]string{orgsignin.StepPassword: "Enter your password", orgsignin.StepFactor: "Verify it's you",
		orgsignin.StepEnroll: "Set up an authenticator app", orgsignin.StepChangePassword: "Your password has expired"}[st.Step]
	if st.Step == orgsignin.StepEnroll {
		if err := p.enrollment(r, &st, &d); err != nil {
			return err
		}
		p.setCookie(w, stateCookie, p.SignIn.Seal(st), int(orgsignin.StateLifetime.Seconds()))
	}
	if st.Step == orgsignin.StepFactor {
		if err := p.factorChoices(r, st, &d); err != nil {
			return err
		}
	}
	p.render(w, r, status, "step.html", view{Title: title, Error: msg, Data: d})
	return nil
}

// submitStep takes the form of the current step.
func (p *Pages) submitStep(w http.ResponseWriter, r *http.Request) error {
	if err := readFormMax(w, r, maxKeyForm); err != nil {
		return err
	}
	st, err := p.state(r)
	if err != nil {
		return err
	}
	next, err := p.step(r, st)
	if look.IsRefusal(err) {
		return p.showStep(w, r, st, look.StatusFor(err), look.Message(err))
	}
	if err != nil {
		return err
	}
	return p.toStep(w, r, next)
}

// step runs the current step with the form's value.
func (p *Pages) step(r *http.Request, st orgsignin.State) (orgsignin.State, error) {
	ctx := httpx.AuditContext(r)
	switch st.Step {
	case orgsignin.StepPassword:
		return p.SignIn.Password(ctx, st, r.PostForm.Get("password"), httpx.ClientIP(r))
	case orgsignin.StepChangePassword:
		if r.PostForm.Get("password") != r.PostForm.Get("confirm") {
			return st, errs.E(errs.Invalid, "The two passwords differ.")
		}
		return p.SignIn.ReplaceExpired(ctx, st, r.PostForm.Get("password"))
	case orgsignin.StepFactor:
		if r.PostForm.Get("method") == "webauthn" {
			if err := p.SignIn.VerifyWebAuthn(ctx, st.UserID, r.PostForm.Get("session"), r.PostForm.Get("response")); err != nil {
				return st, err
			}
			st.AMR, st.Step = append(st.AMR, "hwk"), orgsignin.StepDone
			return st, nil
		}
		if err := p.SignIn.VerifyTOTP(ctx, st.UserID, strings.TrimSpace(r.PostForm.Get("code"))); err != nil {
			return st, err
		}
		st.AMR, st.Step = append(st.AMR, "otp"), orgsignin.StepDone
		return st, nil
	case orgsignin.StepEnroll:
		if err := p.SignIn.ConfirmTOTP(ctx, st.UserID, st.Factor, strings.TrimSpace(r.PostForm.Get("code"))); err != nil {
			return st, err
		}
		st.AMR, st.Step = append(st.AMR, "otp"), orgsignin.StepDone
		return st, nil
	}
	return st, errs.E(errs.Unauthenticated, "Your sign-in took too long or was interrupted. Start again.")
}

// signOut ends the session and forgets its cookie.
func (p *Pages) signOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := p.SignIn.EndSession(httpx.AuditContext(r), c.Value); err != nil {
			return err
		}
	}
	p.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
