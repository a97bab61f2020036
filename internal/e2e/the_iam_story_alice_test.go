package e2e

import (
	"encoding/json"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var consoleARNRe = regexp.MustCompile(`id="console-arn">([^<]+)<`)

func (is *iamStory) aliceListsRoles(t *testing.T) {
	c := is.c
	c.ssoLogin(t, is.s.inSubtest(t), "dev")
	var roles struct{ Roles []struct{ RoleName string } }
	must(t, json.Unmarshal([]byte(c.mustRun(t, "iam", "list-roles", "--profile", "dev", "--output", "json")), &roles))
	names := map[string]bool{}
	for _, r := range roles.Roles {
		names[r.RoleName] = true
	}
	if !names["Deployer"] || !names["OrganizationAccountAccessRole"] {
		t.Errorf("alice's list-roles shows %v, want Deployer and OrganizationAccountAccessRole", names)
	}
}

func (is *iamStory) aliceIsRefusedDeleteRole(t *testing.T) {
	out := is.c.mustFail(t, "iam", "delete-role", "--role-name", "Deployer", "--profile", "dev")
	want := "iam:DeleteRole on resource: arn:aws:iam::" + is.st.AccountID + ":role/Deployer with an explicit deny in a service control policy"
	if !strings.Contains(out, "AccessDenied") || !strings.Contains(out, want) {
		t.Errorf("delete-role printed\n%s\nwant AccessDenied by the service control policy", out)
	}
}

func (is *iamStory) aliceAssumesDeployer(t *testing.T) {
	var assumed struct{ AssumedRoleUser struct{ Arn string } }
	must(t, json.Unmarshal([]byte(is.c.mustRun(t, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+is.st.AccountID+":role/Deployer",
		"--role-session-name", "alice", "--profile", "dev", "--output", "json")), &assumed))
	if want := "arn:aws:sts::" + is.st.AccountID + ":assumed-role/Deployer/alice"; assumed.AssumedRoleUser.Arn != want {
		t.Errorf("assume-role gave %q, want %q", assumed.AssumedRoleUser.Arn, want)
	}
}

// salesIsRefusedDeployer moves alice to Sales. Once the CLI's cached
// DevOps session is gone (as when it expires), the CLI asks the portal for
// a new one, tagged with her new department, which no longer satisfies
// Deployer's trust policy.
func (is *iamStory) salesIsRefusedDeployer(t *testing.T) {
	is.setDepartment(t, "Sales")
	must(t, os.RemoveAll(filepath.Join(is.c.home, ".aws", "cli", "cache")))
	out := is.c.mustFail(t, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+is.st.AccountID+":role/Deployer",
		"--role-session-name", "alice", "--profile", "dev")
	if !strings.Contains(out, "AccessDenied") || !strings.Contains(out, "role trust policy") {
		t.Errorf("assume-role from Sales printed\n%s\nwant AccessDenied by the role trust policy", out)
	}
}

// aliceOpensTheConsole follows the role's "Management console" link: the
// portal mints the role's credentials, the federation endpoint signs the
// browser in, and the console page says who she is.
func (is *iamStory) aliceOpensTheConsole(t *testing.T) {
	account := is.st.AccountID
	b := is.s.inSubtest(t).browser()
	b.signIn(aliceName, alicePassword)
	_, page := b.get("/start/account/" + account)
	if !strings.Contains(page, `/start/console?account_id=`+account+`&amp;role_name=DevOps`) {
		t.Fatalf("the account page has no Management console link for DevOps:\n%s", page)
	}
	status, body := b.get("/start/console?account_id=" + account + "&role_name=DevOps")
	if status != http.StatusOK {
		t.Fatalf("the console link ends at %d:\n%s", status, body)
	}
	m := consoleARNRe.FindStringSubmatch(body)
	if m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), "arn:aws:sts::"+account+":assumed-role/AWSReservedSSO_DevOps_") ||
		!strings.HasSuffix(m[1], "/"+aliceName) {
		t.Errorf("the console page shows the principal %q, want alice's DevOps session in %s\n%s", m, account, body)
	}

	t.Run("signing out of the console leaves the portal session alone", func(t *testing.T) {
		b.t = t
		if status, _ := b.post("/console/signout", nil); status != http.StatusUnauthorized {
			t.Errorf("after signing out of the console, the console page answers %d, want 401", status)
		}
		if status, _ := b.get("/start"); status != http.StatusOK {
			t.Errorf("after signing out of the console the portal answers %d, want 200", status)
		}
	})
	t.Run("a role she has not got opens no console", func(t *testing.T) {
		b.t = t
		status, body := b.get("/start/console?account_id=" + account + "&role_name=Admin")
		if status == http.StatusOK || strings.Contains(body, `id="console-arn"`) {
			t.Errorf("a role she has not got opened the console (%d)", status)
		}
	})
}
