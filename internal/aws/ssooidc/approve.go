package ssooidc

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// DeviceRequest is what the verification page shows about a pending code:
// which client asks, and for what.
type DeviceRequest struct {
	UserCode   string // XXXX-XXXX
	ClientName string
	Scopes     []string
	ExpiresAt  time.Time
}

// Pending returns the pending request behind a typed user code, for userID
// signed in at clientIP. Unknown, used and expired codes all read as
// "not valid", and every lookup is throttled.
func (s *Service) Pending(ctx context.Context, typed, userID, clientIP string) (DeviceRequest, error) {
	if err := s.throttleLookup(ctx, userID, clientIP); err != nil {
		return DeviceRequest{}, err
	}
	d, err := s.pending(ctx, typed)
	if err != nil {
		return DeviceRequest{}, err
	}
	c, err := s.store.Client(ctx, d.ClientID)
	if err != nil {
		return DeviceRequest{}, err
	}
	return DeviceRequest{UserCode: usercode.Format(d.UserCode), ClientName: c.Name, Scopes: d.Scopes, ExpiresAt: d.ExpiresAt}, nil
}

// throttleLookup counts one user-code lookup against the person's address
// and their user id, so guessing codes is slow from any one place or
// account.
func (s *Service) throttleLookup(ctx context.Context, userID, clientIP string) error {
	err := s.throttle(ctx, "device-lookup-ip:"+clientIP, s.cfg.Limits.CodeLookupsPerAddress)
	if err == nil {
		err = s.throttle(ctx, "device-lookup-user:"+userID, s.cfg.Limits.CodeLookupsPerUser)
	}
	if errs.Is(err, errs.Throttled) {
		return tooManyLookups()
	}
	return err
}

func tooManyLookups() error {
	return errs.E(errs.Throttled, "Too many codes tried. Wait a minute and try again.")
}

func invalidCode() error {
	return errs.E(errs.NotFound, "That code is not valid. It may have expired or already been used; start the sign-in again on your device.")
}

func (s *Service) pending(ctx context.Context, typed string) (ic.DeviceAuthorization, error) {
	code, ok := usercode.Normalize(typed)
	if !ok {
		return ic.DeviceAuthorization{}, invalidCode()
	}
	d, err := s.store.DeviceAuthorizationByUserCode(ctx, code)
	if errs.Is(err, errs.NotFound) || (err == nil && !s.live(d)) {
		return ic.DeviceAuthorization{}, invalidCode()
	}
	return d, err
}

func (s *Service) live(d ic.DeviceAuthorization) bool {
	return d.Status == ic.DevicePending && s.clock.Now().Before(d.ExpiresAt)
}

// Decide approves (allow) or denies the pending request behind a user code
// for userID, signed in to the portal session sessionHash: the tokens it
// leads to end when that session does. A code is decided once: a later
// Decide fails. A decision is a lookup too, throttled like Pending (the
// client address comes from ctx's audit client), so the form cannot be
// used to guess codes.
func (s *Service) Decide(ctx context.Context, typed, userID, sessionHash string, allow bool) error {
	if err := s.throttleLookup(ctx, userID, clientIP(ctx)); err != nil {
		return err
	}
	d, err := s.pending(ctx, typed)
	if err != nil {
		return err
	}
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if u.Status != ic.UserEnabled {
		return errs.E(errs.Denied, "Your user is disabled.")
	}
	_, err = s.store.UpdateDeviceAuthorization(ctx, d.CodeHash, func(cur ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
		if !s.live(cur) {
			return cur, invalidCode()
		}
		cur.Status, cur.UserID, cur.SessionHash = ic.DeviceDenied, userID, sessionHash
		if allow {
			cur.Status = ic.DeviceApproved
		}
		return cur, nil
	})
	return err
}
