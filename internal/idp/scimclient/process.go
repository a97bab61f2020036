package scimclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/store"
)

// permanentError is a failure retrying cannot fix without a change at
// the identity provider or the target (a rename onto a taken name).
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

func permanent(err error) bool {
	var p permanentError
	return errors.As(err, &p) || IsPermanent(err)
}

// process pushes one item, records a failure and reports success (the
// caller finishes successful items together).
//
// Once a push failed at the target itself (a 5xx, a 429 or a network
// error, after the client's retries), the app's other items of the same
// Drain are not tried: they fail with that error and wait their backoff,
// so that a target that is down is not asked about every queued item.
func (e *Engine) process(ctx context.Context, it store.OutboxItem) bool {
	err := e.targetDown(it.AppID)
	if err == nil {
		err = e.apply(ctx, it.ProvisionKey)
		e.noteTargetFailure(it.AppID, err)
	}
	now := e.c.Clock.Now()
	if ctx.Err() != nil {
		return false // the lease runs out and the item is claimed again
	}
	if err == nil {
		return true
	}
	next := now.Add(max(itemBackoff(it.Attempts+1), RetryAfterOf(err)))
	perm := permanent(err)
	e.c.Log.Warn("provisioning push failed", "app", it.AppID, "kind", it.Kind, "id", it.ObjectID,
		"attempt", it.Attempts+1, "permanent", perm, "error", err)
	if ferr := e.c.State.FailOutbox(ctx, it, err.Error(), next, perm); ferr != nil {
		e.c.Log.Warn("provisioning: recording a failure failed", "app", it.AppID, "error", ferr)
	}
	return false
}

// targetDown is the failure that marked the app's target down in this
// Drain, wrapped to say this item was not tried; nil when it is not down.
func (e *Engine) targetDown(appID string) error {
	e.downMu.Lock()
	defer e.downMu.Unlock()
	if err := e.down[appID]; err != nil {
		return fmt.Errorf("not tried: the target failed another push just before: %w", err)
	}
	return nil
}

// noteTargetFailure marks the app's target down for the rest of the
// Drain when err is the target's own failure.
func (e *Engine) noteTargetFailure(appID string, err error) {
	var netErr *url.Error
	if s := StatusOf(err); s != 429 && s < 500 && (s != 0 || !errors.As(err, &netErr)) {
		return
	}
	e.downMu.Lock()
	defer e.downMu.Unlock()
	if e.down != nil && e.down[appID] == nil {
		e.down[appID] = err
	}
}

// itemBackoff spaces an item's attempts (the client already retried
// within each): 5 s doubling up to 10 min, or longer when the target's
// Retry-After asks for longer.
func itemBackoff(attempt int) time.Duration {
	d := 5 * time.Second << min(attempt-1, 10)
	return min(d, 10*time.Minute)
}

// apply pushes the current state of one object to its app's target.
func (e *Engine) apply(ctx context.Context, k store.ProvisionKey) error {
	app, err := e.c.Apps.App(ctx, k.AppID)
	if isNotFound(err) {
		return nil // the app is gone: nothing to push to
	}
	if err != nil {
		return err
	}
	if !provisioned(app) {
		return nil
	}
	c, err := e.client(app)
	if err != nil {
		return permanentError{err}
	}
	p := pusher{e: e, c: c, appID: app.ID}
	if k.Kind == store.ProvisionGroup {
		return p.group(ctx, k.ObjectID)
	}
	return p.user(ctx, k.ObjectID)
}

// client is a SCIM client of the app's target.
func (e *Engine) client(app directory.App) (*Client, error) {
	if e.c.Token == nil {
		return nil, fmt.Errorf("no way to open the SCIM token of app %s", app.ID)
	}
	tok, err := e.c.Token(app)
	if err != nil {
		return nil, fmt.Errorf("opening the SCIM token of app %s: %w", app.ID, err)
	}
	return New(app.Provisioning.BaseURL, tok, e.c.Client), nil
}

// pusher pushes one app's objects.
type pusher struct {
	e     *Engine
	c     *Client
	appID string
}

func (p pusher) target(ctx context.Context, k store.ProvisionKey) (string, bool, error) {
	t, err := p.e.c.State.ProvisionTarget(ctx, k)
	if isNotFound(err) {
		return "", false, nil
	}
	return t.TargetID, err == nil, err
}

func (p pusher) mapTo(ctx context.Context, k store.ProvisionKey, targetID string) error {
	return p.e.c.State.PutProvisionTarget(ctx, store.ProvisionTarget{ProvisionKey: k, TargetID: targetID, Updated: p.e.c.Clock.Now()})
}

// linkedToAnother is an error when the target object found by name
// (targetID, carrying externalID) is the one another object of the app is
// mapped to: adopting it would link two people (or groups) to one target
// object, the newcomer taking over the other's memberships and access.
func (p pusher) linkedToAnother(ctx context.Context, kind, objectID, externalID, targetID string) error {
	if externalID == "" || externalID == objectID {
		return nil
	}
	tid, mapped, err := p.target(ctx, store.ProvisionKey{AppID: p.appID, Kind: kind, ObjectID: externalID})
	if err != nil || !mapped || tid != targetID {
		return err
	}
	return fmt.Errorf("is %s %s's at the target (retried once its push frees the name)", kind, externalID)
}

// gone404 treats a target's 404 as done (deleting what is not there).
func gone404(err error) error {
	if StatusOf(err) == 404 {
		return nil
	}
	return err
}
