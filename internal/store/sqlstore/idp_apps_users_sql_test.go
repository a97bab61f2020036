package sqlstore

import (
	"strings"
	"testing"
)

// The one-user lookup starts from the person's memberships: keeping the OR,
// or starting from the app's groups, made a full push cost people × groups.
func TestOneAppUserIsLookedUpWithoutTheListsOr(t *testing.T) {
	if strings.Contains(effectiveAppUserSQL, "$4 = ''") || !strings.Contains(effectiveAppUserSQL, "FROM idp_memberships m CROSS JOIN idp_app_groups g") {
		t.Fatalf("effectiveAppUserSQL still scans the groups' members:\n%s", effectiveAppUserSQL)
	}
}
