package awsconfig

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var corp = Source{Name: "sso-session corp", SessionName: "corp", DefaultRegion: "us-east-1"}

func role(id, account, name string) Role {
	return Role{AccountID: id, AccountName: account, RoleName: name,
		Keys: []KV{{"sso_account_id", id}, {"sso_role_name", name}}}
}

func plan(t *testing.T, f *File, src Source, roles []Role, o SyncOptions) *Plan {
	t.Helper()
	p, err := PlanSync(f, src, roles, o)
	if err != nil {
		t.Fatalf("PlanSync: %v", err)
	}
	return p
}

func names(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestSync(t *testing.T) {
	roles := []Role{role("111", "Prod", "Admin"), role("222", "Dev Box", "ReadOnly")}

	t.Run("a first sync adds one profile per role after the person's own", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		p := plan(t, f, corp, roles, SyncOptions{})
		p.Apply(f)
		want := personal + `
[profile Dev-Box-ReadOnly]
sso_session = corp
sso_account_id = 222
sso_role_name = ReadOnly
region = us-east-1
keyward_source = sso-session corp

[profile Prod-Admin]
sso_session = corp
sso_account_id = 111
sso_role_name = Admin
region = us-east-1
keyward_source = sso-session corp
`
		wantText(t, want, string(f.bytes()))
		if again := plan(t, f, corp, roles, SyncOptions{Prune: true}); !again.Empty() || again.Diff() != "" {
			t.Errorf("a second sync is not empty:\n%s", again.Diff())
		}
	})
	t.Run("an update rewrites only the keys that changed", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		plan(t, f, corp, roles, SyncOptions{}).Apply(f)
		before := string(f.bytes())
		moved := roles[0]
		moved.Region = "eu-west-1"
		p := plan(t, f, corp, []Role{moved, roles[1]}, SyncOptions{})
		if diff := cmp.Diff([]string{"Prod-Admin"}, names(p.Update)); diff != "" || len(p.Add)+len(p.Remove) != 0 {
			t.Fatalf("plan: %+v", p)
		}
		wantText(t, "~ [profile Prod-Admin]\n-   region = us-east-1\n+   region = eu-west-1\n", p.Diff())
		p.Apply(f)
		i := strings.Index(before, "[profile Prod-Admin]")
		wantText(t, before[:i]+strings.Replace(before[i:], "region = us-east-1", "region = eu-west-1", 1), string(f.bytes()))
	})
	t.Run("prune removes this source's stale profiles only when asked", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		plan(t, f, corp, roles, SyncOptions{}).Apply(f)
		other := Source{Name: "sso-session other", SessionName: "other"}
		plan(t, f, other, []Role{role("333", "Else", "Admin")}, SyncOptions{}).Apply(f)
		withOther := string(f.bytes())

		if p := plan(t, f, corp, roles[:1], SyncOptions{}); !p.Empty() {
			t.Errorf("without --prune the plan is not empty:\n%s", p.Diff())
		}
		p := plan(t, f, corp, roles[:1], SyncOptions{Prune: true})
		if diff := cmp.Diff([]string{"Dev-Box-ReadOnly"}, names(p.Remove)); diff != "" {
			t.Fatalf("removals (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(p.Diff(), "- [profile Dev-Box-ReadOnly]\n-   sso_session = corp\n") {
			t.Errorf("diff:\n%s", p.Diff())
		}
		p.Apply(f)
		i, j := strings.Index(withOther, "[profile Dev-Box-ReadOnly]"), strings.Index(withOther, "[profile Prod-Admin]")
		wantText(t, withOther[:i]+withOther[j:], string(f.bytes()))
	})
	t.Run("a name taken by the person's own profile is a conflict, left alone", func(t *testing.T) {
		in := personal + "\n[profile Prod-Admin]\nregion = mine\n"
		f := mustParse(t, configFile, in)
		p := plan(t, f, corp, roles, SyncOptions{Prune: true})
		want := []Conflict{{Name: "Prod-Admin", Role: p.Conflicts[0].Role}}
		if diff := cmp.Diff(want, p.Conflicts); diff != "" || p.Conflicts[0].Role.AccountID != "111" {
			t.Errorf("conflicts (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"Dev-Box-ReadOnly"}, names(p.Add)); diff != "" {
			t.Errorf("adds (-want +got):\n%s", diff)
		}
		if !strings.Contains(p.Diff(), "! [profile Prod-Admin] (Admin in 111) left alone: the profile is not one keyward wrote\n") {
			t.Errorf("diff:\n%s", p.Diff())
		}
		p.Apply(f)
		if got := string(f.bytes()); !strings.HasPrefix(got, in) || strings.Count(got, "[profile Prod-Admin]") != 1 {
			t.Errorf("the person's profile changed:\n%s", got)
		}
	})
	t.Run("another source's profile of the same name is a conflict too", func(t *testing.T) {
		f := mustParse(t, configFile, "[profile Prod-Admin]\nkeyward_source = sso-session other\n")
		p := plan(t, f, corp, roles[:1], SyncOptions{Prune: true})
		if len(p.Conflicts) != 1 || p.Conflicts[0].Owner != "sso-session other" || !p.Empty() {
			t.Errorf("plan: %+v", p)
		}
	})
	t.Run("the person's profiles are never pruned", func(t *testing.T) {
		f := mustParse(t, configFile, personal)
		if p := plan(t, f, corp, nil, SyncOptions{Prune: true}); !p.Empty() {
			t.Errorf("plan:\n%s", p.Diff())
		}
	})
}

func TestSyncNames(t *testing.T) {
	t.Run("two roles with one name get their account IDs", func(t *testing.T) {
		f := mustParse(t, configFile, "")
		p := plan(t, f, corp, []Role{role("222", "Prod", "Admin"), role("111", "prod", "Admin")},
			SyncOptions{Template: "{{lower .AccountName}}-{{kebab .RoleName}}"})
		if diff := cmp.Diff([]string{"prod-admin-111", "prod-admin-222"}, names(p.Add)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("a clash left after the account ID gets a number", func(t *testing.T) {
		f := mustParse(t, configFile, "")
		p := plan(t, f, corp, []Role{role("1", "A", "x y"), role("1", "A", "x-y"), role("1", "A", "x-y")},
			SyncOptions{Template: "{{.RoleName}}"})
		if diff := cmp.Diff([]string{"x-y-1", "x-y-1-2"}, names(p.Add)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("a role's keys are checked", func(t *testing.T) {
		r := role("1", "A", "B")
		r.Keys = append(r.Keys, KV{"output", "json\n[default]"})
		if _, err := PlanSync(mustParse(t, configFile, ""), corp, []Role{r}, SyncOptions{}); err == nil ||
			!strings.Contains(err.Error(), "line break") {
			t.Errorf("err = %v", err)
		}
	})
	for _, tc := range []struct{ tmpl, want string }{
		{"", "Acme-Corp-Prod-AdministratorAccess"},
		{"{{kebab .AccountName}}.{{kebab .RoleName}}", "acme-corp-prod.administrator-access"},
		{"{{.AccountID}}/{{upper .RoleName}}", "123456789012/ADMINISTRATORACCESS"},
		{`{{replace .AccountName " " "_"}}`, "Acme_Corp_-_Prod"},
		{"[{{.RoleName}}]\n\"x\"", "AdministratorAccess-x"},
	} {
		t.Run("template "+tc.tmpl, func(t *testing.T) {
			n, err := NewNamer(tc.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			got, err := n.Name(Role{AccountID: "123456789012", AccountName: "Acme Corp - Prod", RoleName: "AdministratorAccess"})
			if err != nil || got != tc.want {
				t.Errorf("Name = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ tmpl, msg string }{
		{"{{.AccountName", "does not parse"},
		{"{{.Account}}", "can't evaluate field Account"},
		{"{{nosuch .RoleName}}", `function "nosuch" not defined`},
		{"  ", "is empty"},
		{strings.Repeat("x", 2000), "longer than 1 KiB"},
	} {
		t.Run("bad template "+tc.tmpl[:min(len(tc.tmpl), 20)], func(t *testing.T) {
			if _, err := NewNamer(tc.tmpl); err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want it to say %q", err, tc.msg)
			}
		})
	}
}

func TestPlanDiff(t *testing.T) {
	in := `[profile mine]
region = x

[profile gone]
sso_session = corp
keyward_source = sso-session corp

[profile kept]
sso_session = corp
sso_account_id = 2
sso_role_name = R
region = us-east-1
output = json
keyward_source = sso-session corp
`
	f := mustParse(t, configFile, in)
	p := plan(t, f, corp, []Role{role("1", "A", "R"), role("2", "B", "R"), role("3", "C", "R")},
		SyncOptions{Template: `{{if eq .AccountID "2"}}kept{{else if eq .AccountID "3"}}mine{{else}}new{{end}}`, Prune: true})
	want := `+ [profile new]
+   sso_session = corp
+   sso_account_id = 1
+   sso_role_name = R
+   region = us-east-1
+   keyward_source = sso-session corp
~ [profile kept]
-   output = json
- [profile gone]
-   sso_session = corp
-   keyward_source = sso-session corp
! [profile mine] (R in 3) left alone: the profile is not one keyward wrote
`
	wantText(t, want, p.Diff())
	p.Apply(f)
	wantText(t, `[profile mine]
region = x

[profile kept]
sso_session = corp
sso_account_id = 2
sso_role_name = R
region = us-east-1
keyward_source = sso-session corp

[profile new]
sso_session = corp
sso_account_id = 1
sso_role_name = R
region = us-east-1
keyward_source = sso-session corp
`, string(f.bytes()))
}
