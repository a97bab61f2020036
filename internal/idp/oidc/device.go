package oidc

import (
	"context"
	"net/http"
	"time"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
	"github.com/keyward/keyward/internal/keys"
)

// ActivatePath is the verification page (Okta's /activate).
const ActivatePath = "/activate"

// deviceResponse is the device authorization answer (RFC 8628 §3.2).
type deviceResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}

// serveDeviceAuthorize starts a device authorization for a client
// registered for the device grant.
func (p *Provider) serveDeviceAuthorize(w http.ResponseWriter, r *http.Request) {
	res, err := p.deviceAuthorize(w, r)
	if err != nil {
		p.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (p *Provider) deviceAuthorize(w http.ResponseWriter, r *http.Request) (deviceResponse, error) {
	s, err := p.server(r)
	if err != nil {
		return deviceResponse{}, err
	}
	f, err := form(w, r)
	if err != nil {
		return deviceResponse{}, err
	}
	ctx := httpx.AuditContext(r)
	app, err := p.authenticate(ctx, r, f, s)
	if err != nil {
		return deviceResponse{}, err
	}
	if err := allowGrant(app, directory.GrantDeviceCode); err != nil {
		return deviceResponse{}, err
	}
	scopes := scopeList(f["scope"])
	if err := s.checkScopes(scopes); err != nil {
		return deviceResponse{}, err
	}
	if err := p.limitStarts(ctx, app.ID); err != nil {
		return deviceResponse{}, err
	}
	return p.startDevice(ctx, s, app, scopes)
}

func (p *Provider) startDevice(ctx context.Context, s server, app directory.App, scopes []string) (deviceResponse, error) {
	code := clock.Token(p.Random, 32)
	now := p.now()
	d := directory.OAuthDevice{CodeHash: keys.HashSecret(code), AuthServerID: s.id, ClientID: app.ID, Scopes: scopes,
		Status: directory.DevicePending, Interval: deviceInterval, CreatedAt: now, ExpiresAt: now.Add(deviceCodeLifetime)}
	var err error
	for attempt := 0; ; attempt++ {
		d.UserCode = usercode.New(p.Random)
		err = p.Store.CreateOAuthDevice(ctx, d)
		if !errs.Is(err, errs.Conflict) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return deviceResponse{}, err
	}
	page := p.OrgURL + ActivatePath
	return deviceResponse{DeviceCode: code, UserCode: d.UserCode, VerificationURI: page,
		VerificationURIComplete: page + "?user_code=" + d.UserCode,
		ExpiresIn:               int(deviceCodeLifetime.Seconds()), Interval: int(deviceInterval.Seconds())}, nil
}

// limitStarts bounds the device authorizations one client starts from one
// address: DeviceStartsPerClient a minute, and PendingPerClient in a
// code's lifetime (more than that cannot be waiting at once). The address
// is part of the key because an org's okta-aws-cli app is one public
// client that every person shares: a bound on the client alone stopped the
// 31st person in a minute and let anyone who knows the client id keep the
// whole org from signing in.
func (p *Provider) limitStarts(ctx context.Context, clientID string) error {
	key := "oidc-device-start:" + clientID + ":" + audit.ClientFrom(ctx).IP
	for _, l := range []struct {
		window time.Duration
		limit  int
	}{{time.Minute, p.Limits.DeviceStartsPerClient}, {deviceCodeLifetime, p.Limits.PendingPerClient}} {
		ok, err := p.Store.Allow(ctx, key+":"+l.window.String(), l.window, l.limit)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Throttled, "too many device authorizations")
		}
	}
	return nil
}

// deviceCode is the device grant (RFC 8628 §3.4): pending until the person
// approves at the verification page, then tokens once, for the client the
// code was issued to.
func (p *Provider) deviceCode(ctx context.Context, s server, app directory.App, f map[string]string) (tokenResponse, error) {
	code := f["device_code"]
	if code == "" || len(code) > 128 {
		return tokenResponse{}, invalidRequest("The device_code parameter is required.")
	}
	var taken directory.OAuthDevice
	_, err := p.Store.UpdateOAuthDevice(ctx, keys.HashSecret(code), func(d directory.OAuthDevice) (directory.OAuthDevice, error) {
		if err := p.pollable(d, app, s); err != nil {
			return d, err
		}
		if d.Status == directory.DevicePending {
			d.LastPolledAt = p.now()
			return d, nil
		}
		taken, d.Status = d, directory.DeviceUsed
		return d, nil
	})
	if errs.Is(err, errs.NotFound) {
		return tokenResponse{}, invalidGrant("The device code is invalid or has expired.")
	}
	if err != nil {
		return tokenResponse{}, err
	}
	if taken.Status == "" {
		return tokenResponse{}, &oauthError{http.StatusBadRequest, "authorization_pending", "The device authorization is pending. Please try again later."}
	}
	return p.deviceTokens(ctx, s, app, taken)
}

// pollable refuses a poll of d by app that cannot go on.
func (p *Provider) pollable(d directory.OAuthDevice, app directory.App, s server) error {
	switch {
	case d.ClientID != app.ID || d.AuthServerID != s.id:
		return invalidGrant("The device code is invalid or has expired.")
	case !p.now().Before(d.ExpiresAt):
		return &oauthError{http.StatusBadRequest, "expired_token", "The device code has expired."}
	case d.Status == directory.DeviceDenied:
		return accessDenied("The resource owner or authorization server denied the request.")
	case d.Status == directory.DeviceUsed:
		return invalidGrant("The device code has already been used.")
	case d.Status == directory.DevicePending && p.tooFast(d):
		return &oauthError{http.StatusBadRequest, "slow_down", "The client is polling too frequently. Wait the interval between polls."}
	}
	return nil
}

// tooFast reports a pending poll sooner than 3/4 of the interval after
// the last one (RFC 8628 §3.5). Polls in the first interval never count:
// clients poll once right away, and a slow_down there would cost every
// sign-in an interval.
func (p *Provider) tooFast(d directory.OAuthDevice) bool {
	now := p.now()
	return now.Sub(d.CreatedAt) > d.Interval && now.Sub(d.LastPolledAt) < d.Interval*3/4
}

// deviceTokens issues the tokens of an approved device code, if the
// person and the session that approved it still stand.
func (p *Provider) deviceTokens(ctx context.Context, s server, app directory.App, d directory.OAuthDevice) (tokenResponse, error) {
	u, err := p.standing(ctx, d.UserID, d.SessionHash)
	if err != nil {
		return tokenResponse{}, err
	}
	rule, err := p.entitled(ctx, s, app, u, directory.GrantDeviceCode, d.Scopes)
	if err != nil {
		return tokenResponse{}, err
	}
	return p.issue(ctx, grant{kind: directory.GrantDeviceCode, server: s, client: app, user: &u,
		sessionHash: d.SessionHash, scopes: d.Scopes, amr: d.AMR, authTime: d.AuthTime,
		lifetime: rule.AccessTokenLifetime, refresh: wantsRefresh(app, d.Scopes), refreshLifetime: rule.RefreshTokenLifetime})
}
