package orgsignin

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/keyward/keyward/internal/errs"
)

// Step is where a sign-in stands.
type Step string

// The steps after the login name.
const (
	StepPassword       Step = "password"        // the login is known; the password comes next
	StepChangePassword Step = "change-password" // the password has expired: set a new one
	StepFactor         Step = "factor"          // a second factor is due
	StepEnroll         Step = "enroll"          // MFA is required and none is enrolled: enrol one now
	StepDone           Step = "done"            // start the session
)

// State carries a sign-in from one step to the next. It travels sealed
// (a cookie), so any replica can take the next step and nobody can forge
// or edit it; it expires after StateLifetime.
type State struct {
	Login   string    `json:"l"`
	UserID  string    `json:"u,omitempty"`
	Step    Step      `json:"s"`
	AMR     []string  `json:"a,omitempty"`
	Factor  string    `json:"f,omitempty"` // the factor being enrolled
	Next    string    `json:"n,omitempty"` // where to go once signed in
	Expires time.Time `json:"e"`
}

// StateLifetime bounds how long a person may take between steps.
const StateLifetime = 10 * time.Minute

// maxState bounds a sealed state read from a cookie.
const maxState = 1024

func errStateEnded() error {
	return errs.E(errs.Unauthenticated, "Your sign-in took too long or was interrupted. Start again.")
}

// Seal returns st sealed for a cookie, expiring StateLifetime from now.
func (s *Service) Seal(st State) string {
	st.Expires = s.now().Add(StateLifetime)
	b, _ := json.Marshal(st)
	return base64.RawURLEncoding.EncodeToString(s.states.Seal(b, nil))
}

// Open returns the state sealed in v, refusing a forged, edited or
// expired one.
func (s *Service) Open(v string) (State, error) {
	var st State
	if len(v) > maxState {
		return st, errStateEnded()
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return st, errStateEnded()
	}
	b, err := s.states.Open(raw, nil)
	if err != nil || json.Unmarshal(b, &st) != nil || !s.now().Before(st.Expires) {
		return State{}, errStateEnded()
	}
	return st, nil
}
