package oktaapi

import (
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/idp/scimclient"
)

// ProvisioningStatus is an app's SCIM provisioning as GET
// /api/v1/apps/{appId}/provisioning shows it: a keyward extension (Okta
// shows it only in its admin console). `keyward admin apps status --json`
// prints the same.
type ProvisioningStatus struct {
	ID      string `json:"id"`
	Label   string `json:"label"`
	Enabled bool   `json:"enabled"` // provisioning on and the app active
	Target  string `json:"target"`  // the SCIM base URL
	// Started is false until the engine queues the initial full push.
	Started  bool                  `json:"started"`
	LastPush *time.Time            `json:"lastPush"` // null before the first
	Pending  int                   `json:"pending"`  // failures included
	Failures []ProvisioningFailure `json:"failures"`
}

// ProvisioningFailure is an object whose last push failed.
type ProvisioningFailure struct {
	Object   string `json:"object"` // the user's or group's id
	Kind     string `json:"kind"`   // "user" or "group"
	Message  string `json:"message"`
	Attempts int    `json:"attempts"`
	// Permanent failures wait for the object to change or a resync;
	// the others are retried at NextAttempt.
	Permanent   bool       `json:"permanent"`
	NextAttempt *time.Time `json:"nextAttempt"`
}

// NewProvisioningStatus renders st.
func NewProvisioningStatus(st scimclient.AppStatus) ProvisioningStatus {
	out := ProvisioningStatus{ID: st.AppID, Label: st.Label, Enabled: st.Enabled, Target: st.Target, Started: st.Started,
		LastPush: timeOrNull(st.LastPush), Pending: st.Pending, Failures: []ProvisioningFailure{}}
	for _, f := range st.Failures {
		out.Failures = append(out.Failures, ProvisioningFailure{Object: f.ObjectID, Kind: f.Kind, Message: f.Message,
			Attempts: f.Attempts, Permanent: f.Permanent, NextAttempt: timeOrNull(f.NextAttempt)})
	}
	return out
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// getProvisioning is GET /api/v1/apps/{appId}/provisioning, readable by
// whoever may read apps.
func (a *API) getProvisioning(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := a.allow(r, c, directory.ReadDirectory, directory.Scope{}); err != nil {
		return err
	}
	app, err := a.app(r)
	if err != nil {
		return err
	}
	st, err := scimclient.Status(r.Context(), a.cfg.Store, a.cfg.Store, app.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, NewProvisioningStatus(st))
	return nil
}
