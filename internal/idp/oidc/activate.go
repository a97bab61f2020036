package oidc

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

// DeviceRequest is what the verification page shows about a pending code:
// which client asks, and for what.
type DeviceRequest struct {
	UserCode   string // XXXX-XXXX
	ClientName string
	Scopes     []string
	ExpiresAt  time.Time
}

// errCode is every user code that cannot be approved: unknown, used,
// expired or another server's.
var errCode = errs.E(errs.Invalid, "That code is not valid. Check the code your device shows and try again.")

// Pending returns the pending request behind a typed user code, for the
// signed-in person at clientIP. Every lookup is throttled per address and
// per person, so guessing codes is slow from anywhere (RFC 8628 §5.1).
func (p *Provider) Pending(ctx context.Context, typed, userID, clientIP string) (DeviceRequest, error) {
	d, err := p.pending(ctx, typed, userID, clientIP)
	if err != nil {
		return DeviceRequest{}, err
	}
	app, err := p.Apps.App(ctx, d.ClientID)
	if err != nil {
		return DeviceRequest{}, err
	}
	return DeviceRequest{UserCode: usercode.Format(d.UserCode), ClientName: app.Label, Scopes: d.Scopes, ExpiresAt: d.ExpiresAt}, nil
}

func (p *Provider) pending(ctx context.Context, typed, userID, clientIP string) (directory.OAuthDevice, error) {
	if err := p.throttleLookup(ctx, userID, clientIP); err != nil {
		return directory.OAuthDevice{}, err
	}
	code, ok := usercode.Normalize(typed)
	if !ok {
		return directory.OAuthDevice{}, errCode
	}
	d, err := p.Store.OAuthDeviceByUserCode(ctx, code)
	if errs.Is(err, errs.NotFound) || (err == nil && (d.Status != directory.DevicePending || !p.now().Before(d.ExpiresAt))) {
		return d, errCode
	}
	return d, err
}

func (p *Provider) throttleLookup(ctx context.Context, userID, clientIP string) error {
	for key, limit := range map[string]int{"oidc-code-ip:" + clientIP: p.Limits.CodeLookupsPerAddress,
		"oidc-code-user:" + userID: p.Limits.CodeLookupsPerUser} {
		ok, err := p.Store.Allow(ctx, key, time.Minute, limit)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Throttled, "Too many codes tried. Wait a minute and try again.")
		}
	}
	return nil
}

// Decide approves or denies the pending request behind a typed user code
// for the person signed in with session ss. An approval records the
// session: the tokens hang off it.
func (p *Provider) Decide(ctx context.Context, typed string, ss directory.Session, u directory.User, approve bool, clientIP string) error {
	d, err := p.pending(ctx, typed, u.ID, clientIP)
	if err != nil {
		return err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Type: "user", ID: u.ID, Name: u.Login()})
	_, err = p.Store.UpdateOAuthDevice(ctx, d.CodeHash, func(d directory.OAuthDevice) (directory.OAuthDevice, error) {
		if d.Status != directory.DevicePending || !p.now().Before(d.ExpiresAt) {
			return d, errCode
		}
		d.Status = directory.DeviceDenied
		if approve {
			d.Status, d.UserID, d.SessionHash, d.AMR, d.AuthTime = directory.DeviceApproved, u.ID, ss.IDHash, ss.AMR, ss.Created
		}
		return d, nil
	})
	return err
}
