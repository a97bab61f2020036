package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

func (h *harness) newClient() ic.Client {
	now := h.clk.Now()
	return ic.Client{ID: clock.Hex(clock.Random, 16), SecretHash: clock.Hex(clock.Random, 32),
		Name: "aws-cli", Type: "public", Scopes: []string{"sso:account:access"},
		IssuedAt: now, ExpiresAt: now.Add(90 * 24 * time.Hour)}
}

func (h *harness) newDevice(userCode string) ic.DeviceAuthorization {
	now := h.clk.Now()
	return ic.DeviceAuthorization{CodeHash: clock.Hex(clock.Random, 32), UserCode: userCode,
		ClientID: "client-1", Scopes: []string{"sso:account:access"},
		StartURL: "https://keyward.example/start", Status: ic.DevicePending,
		Interval: 5 * time.Second, CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
}

func (h *harness) userCode() string { return fmt.Sprintf("CODE%04d", h.next()) }

var deviceTests = []test{
	{"pending devices count a client's waiting, unexpired authorizations only", func(t *testing.T, h *harness) {
		pending := func(client string) int {
			t.Helper()
			n, err := h.s.PendingDevices(h.ctx, client)
			ok(t, err)
			return n
		}
		for range 3 {
			ok(t, h.s.CreateDeviceAuthorization(h.ctx, h.newDevice(h.userCode())))
		}
		other := h.newDevice(h.userCode())
		other.ClientID = "client-2"
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, other))
		approved := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, approved))
		_, err := h.s.UpdateDeviceAuthorization(h.ctx, approved.CodeHash, func(d ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
			d.Status, d.UserID = ic.DeviceApproved, "u-1"
			return d, nil
		})
		ok(t, err)
		equal(t, "client-1 pending", 3, pending("client-1"))
		equal(t, "client-2 pending", 1, pending("client-2"))
		h.clk.Advance(11 * time.Minute)
		equal(t, "after expiry", 0, pending("client-1"))
	}},
	{"a client is registered and read back", func(t *testing.T, h *harness) {
		c := h.newClient()
		ok(t, h.s.CreateClient(h.ctx, c))
		equal(t, "event", "ssooidc.client.register", h.lastEvent(t).Action)
		got, err := h.s.Client(h.ctx, c.ID)
		ok(t, err)
		equal(t, "client", c, got)
		_, err = h.s.Client(h.ctx, "no-such-client")
		notFound(t, err, "")
		conflict(t, h.s.CreateClient(h.ctx, c))
	}},
	{"a device authorization is found by code hash and by user code", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		equal(t, "event", "ssooidc.device.start", h.lastEvent(t).Action)
		got, err := h.s.DeviceAuthorization(h.ctx, d.CodeHash)
		ok(t, err)
		equal(t, "by code hash", d, got)
		got, err = h.s.DeviceAuthorizationByUserCode(h.ctx, d.UserCode)
		ok(t, err)
		equal(t, "by user code", d, got)
		_, err = h.s.DeviceAuthorization(h.ctx, "nope")
		notFound(t, err, "")
		_, err = h.s.DeviceAuthorizationByUserCode(h.ctx, "NOPENOPE")
		notFound(t, err, "")
	}},
	{"a user code held by a live authorization is a conflict", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		h.unchangedLog(t, func() { conflict(t, h.s.CreateDeviceAuthorization(h.ctx, h.newDevice(d.UserCode))) })
	}},
	{"an expired authorization's user code can be drawn again", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		h.clk.Advance(11 * time.Minute)
		again := h.newDevice(d.UserCode)
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, again))
		got, err := h.s.DeviceAuthorizationByUserCode(h.ctx, d.UserCode)
		ok(t, err)
		equal(t, "by user code", again, got)
	}},
	{"approving a device authorization is compare-and-swap and logged", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		u := h.createUser(t)
		got, err := h.s.UpdateDeviceAuthorization(h.ctx, d.CodeHash, func(old ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
			equal(t, "fn's input", d, old)
			old.Status, old.UserID = ic.DeviceApproved, u.ID
			return old, nil
		})
		ok(t, err)
		stored, err := h.s.DeviceAuthorization(h.ctx, d.CodeHash)
		ok(t, err)
		equal(t, "stored", got, stored)
		equal(t, "event", "ssooidc.device.approved", h.lastEvent(t).Action)
	}},
	{"a poll that only moves last-polled-at writes no event", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		h.clk.Advance(5 * time.Second)
		h.unchangedLog(t, func() {
			got, err := h.s.UpdateDeviceAuthorization(h.ctx, d.CodeHash, func(old ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
				old.LastPolledAt = h.clk.Now()
				return old, nil
			})
			ok(t, err)
			equal(t, "last polled", h.clk.Now(), got.LastPolledAt)
		})
	}},
	{"a device update whose fn fails returns its error and writes nothing", func(t *testing.T, h *harness) {
		d := h.newDevice(h.userCode())
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, d))
		h.unchangedLog(t, func() {
			_, err := h.s.UpdateDeviceAuthorization(h.ctx, d.CodeHash, func(old ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
				old.Status = ic.DeviceDenied
				return old, errFn
			})
			fnFailed(t, err)
		})
		got, err := h.s.DeviceAuthorization(h.ctx, d.CodeHash)
		ok(t, err)
		equal(t, "device", d, got)
		_, err = h.s.UpdateDeviceAuthorization(h.ctx, "nope", func(old ic.DeviceAuthorization) (ic.DeviceAuthorization, error) {
			return old, nil
		})
		notFound(t, err, "")
	}},
}
