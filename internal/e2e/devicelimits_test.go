package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keyward/keyward/internal/clock"
	"github.com/keyward/keyward/internal/config"
)

// startDeviceRaw starts a device authorization and returns the raw answer.
func (s *server) startDeviceRaw(t *testing.T, c oidcClient) wire {
	t.Helper()
	return s.restJSON(t, "/device_authorization", map[string]string{"clientId": c.ID, "clientSecret": c.Secret,
		"startUrl": s.main.StartURL})
}

func wantSlowDown(t *testing.T, w wire, mentions string) {
	t.Helper()
	if w.Status != http.StatusBadRequest || w.Header.Get("X-Amzn-Errortype") != "SlowDownException" ||
		!strings.Contains(string(w.Body), mentions) {
		t.Errorf("got %d %s %s, want a SlowDownException about %q", w.Status, w.Header.Get("X-Amzn-Errortype"), w.Body, mentions)
	}
}

func TestDeviceAuthorizationsAreLimitedPerClientAndPendingOnesBounded(t *testing.T) {
	clk := clock.NewFake(time.Now())
	dir := t.TempDir()
	m := launch(t, dir, clk, func(c *config.Config) { c.Limits.DeviceStartsPerClient, c.Limits.PendingPerClient = 4, 6 })
	s := &server{t: t, main: m, url: m.AWSURL, dataDir: dir}
	flooder, other := s.registerClient(t, "flooder"), s.registerClient(t, "other")

	for range 4 {
		s.startDevice(t, flooder)
	}
	wantSlowDown(t, s.startDeviceRaw(t, flooder), "slow down")
	s.startDevice(t, other) // another client is not held back

	clk.Advance(time.Minute)
	s.startDevice(t, flooder)
	s.startDevice(t, flooder) // six waiting now
	wantSlowDown(t, s.startDeviceRaw(t, flooder), "too many device authorizations waiting")

	clk.Advance(10 * time.Minute) // they expire
	s.startDevice(t, flooder)
}
