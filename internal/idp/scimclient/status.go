package scimclient

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// StatusSource is what Status reads of the engine's state.
type StatusSource interface {
	ProvisionStatus(ctx context.Context, appID string) (store.ProvisionStatus, error)
}

// AppStatus is one app's provisioning as an administrator sees it (what
// `keyward admin apps status` and the API show).
type AppStatus struct {
	AppID   string
	Label   string
	Enabled bool   // provisioning is on and the app active
	Target  string // the SCIM base URL
	// Started is false until the initial push is queued (the engine's
	// next round after provisioning is enabled).
	Started  bool
	LastPush time.Time // zero: nothing pushed yet
	Pending  int
	Failures []Failure
}

// Failure is an item whose last push failed, with the target's message.
type Failure struct {
	Kind        string // store.ProvisionUser or store.ProvisionGroup
	ObjectID    string
	Attempts    int
	Message     string
	Permanent   bool      // not retried until the object changes or a resync
	NextAttempt time.Time // when it is retried (not permanent)
}

// Status returns one app's provisioning status.
func Status(ctx context.Context, apps Apps, st StatusSource, appID string) (AppStatus, error) {
	a, err := apps.App(ctx, appID)
	if err != nil {
		return AppStatus{}, err
	}
	return statusOf(ctx, st, a)
}

// Statuses returns the status of every app that has a SCIM target.
func Statuses(ctx context.Context, apps Apps, st StatusSource) ([]AppStatus, error) {
	var out []AppStatus
	err := pages(func(p store.Page) ([]directory.App, string, error) { return apps.ListApps(ctx, p) },
		func(as []directory.App) error {
			for _, a := range as {
				if a.Provisioning.BaseURL == "" {
					continue
				}
				s, err := statusOf(ctx, st, a)
				if err != nil {
					return err
				}
				out = append(out, s)
			}
			return nil
		})
	return out, err
}

func statusOf(ctx context.Context, st StatusSource, a directory.App) (AppStatus, error) {
	out := AppStatus{AppID: a.ID, Label: a.Label, Enabled: provisioned(a), Target: a.Provisioning.BaseURL}
	ps, err := st.ProvisionStatus(ctx, a.ID)
	if isNotFound(err) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.Started, out.LastPush, out.Pending = true, ps.LastPush, ps.Pending
	for _, f := range ps.Failures {
		x := Failure{Kind: f.Kind, ObjectID: f.ObjectID, Attempts: f.Attempts, Message: f.LastError, Permanent: f.Failed}
		if !f.Failed {
			x.NextAttempt = f.NextAttempt
		}
		out.Failures = append(out.Failures, x)
	}
	return out, nil
}
