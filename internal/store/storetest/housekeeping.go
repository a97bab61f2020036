package storetest

import (
	"testing"
	"time"
)

var housekeepingTests = []test{
	{"purge removes only what has expired, and logs nothing", func(t *testing.T, h *harness) {
		u := h.createUser(t)
		spent := h.newToken(u.ID) // access for 1 hour, refresh for 90 days
		ok(t, h.s.CreateToken(h.ctx, spent))
		live := h.rotate(t, spent)
		session := h.newSession(u.ID) // 8 hours
		ok(t, h.s.CreatePortalSession(h.ctx, session))
		device := h.newDevice(h.userCode()) // 10 minutes
		ok(t, h.s.CreateDeviceAuthorization(h.ctx, device))
		h.allow(t, "purge-test", time.Minute, 5, 1)

		h.clk.Advance(2 * time.Hour)
		purge := func(min int64) {
			t.Helper()
			h.unchangedLog(t, func() {
				n, err := h.s.Purge(h.ctx)
				ok(t, err)
				if n < min {
					t.Errorf("purge removed %d rows, want at least %d", n, min)
				}
			})
		}
		purge(2) // the spent token's row and the ended rate-limit window
		h.tokenGone(t, spent)
		_, err := h.s.TokenByAccess(h.ctx, live.AccessHash)
		ok(t, err) // its access token expired, but its refresh token still works
		_, err = h.s.PortalSession(h.ctx, session.IDHash)
		ok(t, err)
		_, err = h.s.DeviceAuthorization(h.ctx, device.CodeHash)
		ok(t, err) // kept a day past expiry, so a late poll hears "expired"

		h.clk.Advance(24 * time.Hour)
		purge(2)
		_, err = h.s.PortalSession(h.ctx, session.IDHash)
		notFound(t, err, "")
		_, err = h.s.DeviceAuthorization(h.ctx, device.CodeHash)
		notFound(t, err, "")
		_, err = h.s.TokenByAccess(h.ctx, live.AccessHash)
		ok(t, err)

		h.clk.Advance(90 * 24 * time.Hour)
		purge(2) // the live token and the spent one's rotation record
		h.tokenGone(t, live)
		h.replay(t, spent.RefreshHash)
	}},
}
