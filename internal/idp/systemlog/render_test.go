package systemlog_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/idp/systemlog"
)

// asJSON is v marshalled and read back as generic JSON.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRenderIsOktasLogEvent(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))
	for _, c := range []struct {
		name string
		in   audit.Event
		want string
	}{
		{"a sign-in by a user from a browser", audit.Event{
			ID: "ev1", Time: at, Action: "user.session.start", Seq: 7, PrevHash: "p", Hash: "h",
			Actor:      audit.Actor{Type: "user", ID: "00u1", Name: "ada@example.com"},
			Client:     audit.Client{IP: "192.0.2.7", UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"},
			TargetType: "User", TargetID: "00u1", TargetName: "Ada Lovelace", Outcome: audit.Success,
			Detail: map[string]string{"requestId": "req-1", "requestUri": "/login", "credentialType": "PASSWORD",
				"authenticationProvider": "OKTA_AUTHENTICATION_PROVIDER", "externalSessionId": "idx1",
				"issuerId": "iss", "issuerType": "OKTA"},
		}, `{
			"uuid": "ev1", "published": "2026-12-02T09:00:00.123Z", "eventType": "user.session.start",
			"version": "0", "severity": "INFO", "displayMessage": "User login to Okta",
			"actor": {"id": "00u1", "type": "User", "alternateId": "ada@example.com", "displayName": "ada@example.com", "detailEntry": null},
			"client": {"userAgent": {"rawUserAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
				"os": "Mac OS X", "browser": "SAFARI"}, "zone": null, "device": "Computer", "id": null,
				"ipAddress": "192.0.2.7", "geographicalContext": null},
			"outcome": {"result": "SUCCESS", "reason": null},
			"target": [{"id": "00u1", "type": "User", "alternateId": "Ada Lovelace", "displayName": "Ada Lovelace", "detailEntry": null}],
			"transaction": {"type": "WEB", "id": "req-1", "detail": {}},
			"debugContext": {"debugData": {"requestId": "req-1", "requestUri": "/login"}},
			"authenticationContext": {"authenticationProvider": "OKTA_AUTHENTICATION_PROVIDER", "credentialProvider": null,
				"credentialType": "PASSWORD", "issuer": {"id": "iss", "type": "OKTA"}, "interface": null,
				"authenticationStep": 0, "externalSessionId": "idx1"},
			"securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
			"request": {"ipChain": [{"ip": "192.0.2.7", "version": "V4", "source": null, "geographicalContext": null}]},
			"legacyEventType": null
		}`},
		{"a denial to a system actor with no client, over IPv6 nothing else", audit.Event{
			ID: "ev2", Time: at, Action: "identitystore.user.create", Actor: audit.Actor{Type: "system", Name: "keyward"},
			Client: audit.Client{IP: "2001:db8::1", UserAgent: "aws-cli/2.15"}, Outcome: audit.Deny, Message: "no",
			Detail: map[string]string{"clientId": "0oa1"},
		}, `{
			"uuid": "ev2", "published": "2026-12-02T09:00:00.123Z", "eventType": "identitystore.user.create",
			"version": "0", "severity": "WARN", "displayMessage": "Identitystore user create",
			"actor": {"id": "", "type": "SystemPrincipal", "alternateId": "keyward", "displayName": "keyward", "detailEntry": null},
			"client": {"userAgent": {"rawUserAgent": "aws-cli/2.15", "os": "Unknown", "browser": "UNKNOWN"}, "zone": null,
				"device": "Unknown", "id": "0oa1", "ipAddress": "2001:db8::1", "geographicalContext": null},
			"outcome": {"result": "DENY", "reason": "no"},
			"target": [],
			"transaction": {"type": "WEB", "id": null, "detail": {}},
			"debugContext": {"debugData": {}},
			"authenticationContext": {"authenticationProvider": null, "credentialProvider": null, "credentialType": null,
				"issuer": null, "interface": null, "authenticationStep": 0, "externalSessionId": null},
			"securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
			"request": {"ipChain": [{"ip": "2001:db8::1", "version": "V6", "source": null, "geographicalContext": null}]},
			"legacyEventType": null
		}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want any
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, asJSON(t, systemlog.Render(c.in))); diff != "" {
				t.Errorf("rendered event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderNamesActorsAndEventsAsOktaDoes(t *testing.T) {
	for in, want := range map[string]string{"user": "User", "system": "SystemPrincipal", "client": "PublicClientApp",
		"assumed-role": "AssumedRole", "root": "Root"} {
		if got := systemlog.Render(audit.Event{Actor: audit.Actor{Type: in}}).Actor.Type; got != want {
			t.Errorf("actor type %q renders as %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"group.user_membership.add": "Add user to group membership",
		"user.lifecycle.create": "Create Okta user", "": "Event"} {
		if got := systemlog.Render(audit.Event{Action: in}).DisplayMessage; got != want {
			t.Errorf("event type %q displays %q, want %q", in, got, want)
		}
	}
	le := systemlog.Render(audit.Event{Outcome: audit.Failure})
	if le.Severity != "WARN" {
		t.Errorf("a failure has severity %s, want WARN", le.Severity)
	}
}

func TestLogEventValuesServeFilterPaths(t *testing.T) {
	le := systemlog.Render(audit.Event{ID: "u", Action: "user.session.start", Actor: audit.Actor{Type: "user", ID: "00u1"},
		Client: audit.Client{IP: "192.0.2.1"}, TargetType: "User", TargetID: "00u2", Outcome: audit.Success,
		Detail: map[string]string{"requestId": "r"}})
	for path, want := range map[string]string{"eventType": "user.session.start", "actor.id": "00u1", "actor.type": "User",
		"target.id": "00u2", "target.type": "User", "outcome.result": "SUCCESS", "severity": "INFO",
		"client.ipAddress": "192.0.2.1", "uuid": "u", "debugContext.debugData.requestId": "r", "transaction.id": "r"} {
		if got, ok := le.Value(path); !ok || got != want {
			t.Errorf("Value(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
	for _, path := range []string{"outcome.reason", "client.id", "nonsense", "target.nonsense"} {
		if got, ok := le.Value(path); ok {
			t.Errorf("Value(%q) = %q, want absent", path, got)
		}
	}
}
