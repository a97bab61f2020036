package ssooidc

import (
	"context"
	"github.com/keyward/keyward/internal/authn/usercode"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
	"github.com/keyward/keyward/internal/keys"
)

type startInput struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	StartURL     string `json:"startUrl"`
}

type startOutput struct {
	DeviceCode              string `json:"deviceCode"`
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
	ExpiresIn               int    `json:"expiresIn"`
	Interval                int    `json:"interval"`
}

func (s *Service) startDeviceAuthorization(ctx context.Context, in *startInput) (*startOutput, error) {
	if err := protocol.Required("clientId", in.ClientID, "clientSecret", in.ClientSecret, "startUrl", in.StartURL); err != nil {
		return nil, err
	}
	if err := protocol.MaxLen("startUrl", in.StartURL, 2048); err != nil {
		return nil, err
	}
	c, err := s.authenticate(ctx, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	if !c.Allows(ic.GrantDeviceCode) {
		return nil, unauthorizedGrant(ic.GrantDeviceCode)
	}
	if err := s.limitStarts(ctx, c.ID); err != nil {
		return nil, err
	}
	code := s.secret(prefixDeviceCode)
	now := s.clock.Now()
	d := ic.DeviceAuthorization{CodeHash: keys.HashSecret(code), ClientID: c.ID, Scopes: c.Scopes, StartURL: in.StartURL,
		Status: ic.DevicePending, Interval: s.cfg.Interval, CreatedAt: now, ExpiresAt: now.Add(s.cfg.DeviceCodeLifetime)}
	for attempt := 0; ; attempt++ {
		d.UserCode = usercode.New(s.random)
		err = s.store.CreateDeviceAuthorization(ctx, d)
		if !errs.Is(err, errs.Conflict) || attempt == 4 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	shown := usercode.Format(d.UserCode)
	return &startOutput{DeviceCode: code, UserCode: shown, VerificationURI: s.cfg.VerificationURI,
		VerificationURIComplete: s.cfg.VerificationURI + "?user_code=" + shown,
		ExpiresIn:               int(s.cfg.DeviceCodeLifetime.Seconds()), Interval: int(s.cfg.Interval.Seconds())}, nil
}

// limitStarts bounds device authorizations per address and per client a
// minute, and how many one client may have waiting at once.
func (s *Service) limitStarts(ctx context.Context, clientID string) error {
	l := s.cfg.Limits
	err := s.throttle(ctx, "device-start-ip:"+clientIP(ctx), l.DeviceStartsPerAddress)
	if err == nil {
		err = s.throttle(ctx, "device-start-client:"+clientID, l.DeviceStartsPerClient)
	}
	if err != nil {
		return err
	}
	n, err := s.store.PendingDevices(ctx, clientID)
	if err == nil && n >= l.PendingPerClient {
		err = oidcError(errs.Throttled, "SlowDownException",
			"This client has too many device authorizations waiting for approval; use or let one expire first")
	}
	return err
}
