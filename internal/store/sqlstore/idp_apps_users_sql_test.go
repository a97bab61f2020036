package sqlstore

import (
	"strings"
	"testing"
)

// The one-user lookup must not keep the OR that makes it read every
// member of every assigned group (a full push was quadratic with it).
func TestOneAppUserIsLookedUpWithoutTheListsOr(t *testing.T) {
	if strings.Contains(effectiveAppUserSQL, "$4 = ''") || !strings.Contains(effectiveAppUserSQL, "m.user_id = $4") {
		t.Fatalf("effectiveAppUserSQL still scans the groups' members:\n%s", effectiveAppUserSQL)
	}
}
