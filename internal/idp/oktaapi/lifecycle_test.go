package oktaapi

import (
	"strings"
	"testing"
)

// Okta reactivates a person in PROVISIONED or RECOVERY status: it restarts
// activation with a new link, for someone who never finished a reset as
// for someone who never finished activating.
func TestReactivateRestartsActivationFromRecovery(t *testing.T) {
	w := newAppWorld(t)
	alice := w.user("alice@example.com")
	lifecycle := "/api/v1/users/" + alice.ID + "/lifecycle/"
	w.must(200, "POST", lifecycle+"reset_password?sendEmail=false", "")

	out := w.must(200, "POST", lifecycle+"reactivate?sendEmail=false", "")
	link, _ := out["activationUrl"].(string)
	if !strings.HasPrefix(link, "https://keyward.example/welcome/") || out["activationToken"] == "" {
		t.Fatalf("reactivate answered %v, want an activation link and token", out)
	}
	if got := w.must(200, "GET", "/api/v1/users/"+alice.ID, "")["status"]; got != "PROVISIONED" {
		t.Errorf("status after reactivate = %v, want PROVISIONED", got)
	}
}
