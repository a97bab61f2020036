package orgpages

import (
	"net/http"

	"github.com/keyward/keyward/internal/authn/orgsignin"
	"github.com/keyward/keyward/internal/authn/totp"
)

// enrollment fills the enrolment step: the first time it starts one (and
// records its factor in st), later it shows the same one again.
func (p *Pages) enrollment(r *http.Request, st *orgsignin.State, d *loginData) error {
	u, err := p.Directory.User(r.Context(), st.UserID)
	if err != nil {
		return err
	}
	var e orgsignin.Enrollment
	if st.Factor == "" {
		e, err = p.SignIn.BeginTOTP(r.Context(), u)
		st.Factor = e.FactorID
	} else {
		e, err = p.SignIn.Enrollment(r.Context(), u, st.Factor)
	}
	if err != nil {
		return err
	}
	return fillQR(d, e)
}

// fillQR puts an enrolment's QR code and typed secret into d.
func fillQR(d *loginData, e orgsignin.Enrollment) error {
	qr, err := totp.QRSVG(e.URI)
	if err != nil {
		return err
	}
	d.QR, d.Secret = qr, e.Secret
	return nil
}
