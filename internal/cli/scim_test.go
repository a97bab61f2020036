package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestSCIMTokensAreCreatedAtMostTwiceListedAndDeleted(t *testing.T) {
	dir := served(t)
	env := map[string]string{"KEYWARD_DATA_DIR": dir}
	code, _, errOut := run(t, "", env, "admin", "scim-token", "create")
	if code == 0 || !strings.Contains(errOut, "identity-source provisioning on") {
		t.Errorf("a token while provisioning is off: exit %d: %s", code, errOut)
	}
	code, _, errOut = run(t, "", env, "admin", "identity-source", "provisioning", "on")
	if code == 0 || !strings.Contains(errOut, "needs an external identity provider") {
		t.Errorf("provisioning with Identity Center's directory: exit %d: %s", code, errOut)
	}
	if code, _, errOut := run(t, "", env, "admin", "identity-source", "set-external", "--idp-metadata",
		idpMetadataFile(t, "https://idp.example.com/app/aws")); code != 0 {
		t.Fatalf("set-external: exit %d: %s", code, errOut)
	}
	code, out, errOut := run(t, "", env, "admin", "identity-source", "provisioning", "on", "--aws-url", "https://aws.example.com/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	endpoint := regexp.MustCompile(`(?m)^SCIM endpoint: https://aws\.example\.com/d-[0-9a-z]{10}/scim/v2/$`)
	if !endpoint.MatchString(out) {
		t.Errorf("no SCIM endpoint URL in:\n%s", out)
	}
	secret := regexp.MustCompile(`(?m)^Access token:  (\S{40,})$`).FindStringSubmatch(out)
	if secret == nil {
		t.Fatalf("no token in:\n%s", out)
	}
	id := regexp.MustCompile(`Token (\S+) expires`).FindStringSubmatch(errOut)
	if id == nil {
		t.Fatalf("no token id in:\n%s", errOut)
	}
	if code, _, errOut := run(t, "", env, "admin", "scim-token", "create"); code != 0 {
		t.Fatalf("second token: exit %d: %s", code, errOut)
	}
	code, _, errOut = run(t, "", env, "admin", "scim-token", "create")
	if code == 0 || !strings.Contains(errOut, "already 2 live SCIM tokens") {
		t.Errorf("third token: exit %d: %s", code, errOut)
	}

	_, list, _ := run(t, "", env, "admin", "scim-token", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(list, id[1]) || !strings.Contains(lines[1], "never") {
		t.Errorf("list:\n%s", list)
	}
	if strings.Contains(list, secret[1]) {
		t.Error("the list shows a secret")
	}

	if code, out, errOut := run(t, "", env, "admin", "scim-token", "delete", id[1]); code != 0 || !strings.Contains(out, "Deleted") {
		t.Fatalf("delete: exit %d: %s%s", code, out, errOut)
	}
	if code, _, errOut := run(t, "", env, "admin", "scim-token", "delete", id[1]); code == 0 || !strings.Contains(errOut, "no SCIM token") {
		t.Errorf("second delete: exit %d: %s", code, errOut)
	}
	if code, _, errOut := run(t, "", env, "admin", "scim-token", "create"); code != 0 {
		t.Errorf("a token after a delete: exit %d: %s", code, errOut)
	}
	if code, out, errOut := run(t, "", env, "admin", "identity-source", "provisioning", "on"); code != 0 || strings.Contains(out, "Access token") {
		t.Errorf("provisioning on again: exit %d, it should make no token while some are live: %s%s", code, out, errOut)
	}
	if code, _, errOut := run(t, "", env, "admin", "identity-source", "provisioning", "off"); code != 0 {
		t.Fatalf("provisioning off: exit %d: %s", code, errOut)
	}
	if _, list, _ := run(t, "", env, "admin", "scim-token", "list"); strings.Count(strings.TrimSpace(list), "\n") != 0 {
		t.Errorf("tokens left after provisioning off:\n%s", list)
	}
}
