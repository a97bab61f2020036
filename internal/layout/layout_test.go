// Package layout_test pins keyward's dependency graph to the tiers in
// DESIGN.md: a package imports only from its own or earlier tiers, domain
// packages import only the standard library, and the IdP side (idp/...)
// and the AWS side (aws/...) never import each other.
package layout_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/keyward/keyward/"

// tiers lists package path prefixes (under internal/) by tier. The first
// matching prefix decides; cli sits above app because `serve` runs app.Main.
var tiers = []struct {
	tier   int
	prefix string
}{
	{1, "errs"}, {1, "clock"}, {1, "audit"},
	{2, "identitycenter"}, {2, "directory"}, {2, "iam"}, {2, "httpx"},
	{3, "store"}, {3, "keys"}, {3, "authn/"},
	{4, "aws/"}, {4, "idp/"}, {4, "awsproxy"},
	{5, "web"}, {5, "client"}, {5, "cred/"},
	{6, "config"},
	{7, "app"},
	{8, "cli"},
}

// domainTier is the highest tier whose packages may import only the
// standard library (and earlier tiers).
const domainTier = 2

func tierOf(pkg string) (int, bool) {
	rel := strings.TrimPrefix(pkg, module+"internal/")
	for _, t := range tiers {
		if rel == strings.TrimSuffix(t.prefix, "/") || strings.HasPrefix(rel, t.prefix) ||
			strings.HasPrefix(rel, t.prefix+"/") {
			return t.tier, true
		}
	}
	return 0, false
}

func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func side(pkg string) string {
	rel := strings.TrimPrefix(pkg, module+"internal/")
	switch {
	case strings.HasPrefix(rel, "aws/"):
		return "aws"
	case strings.HasPrefix(rel, "idp/"):
		return "idp"
	}
	return ""
}

func TestPackagesImportOnlyFromTheirOwnOrEarlierTiers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports ","}}`, module+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		if !strings.HasPrefix(pkg, module+"internal/") || strings.HasSuffix(pkg, "/e2e") || strings.HasSuffix(pkg, "/layout") {
			continue
		}
		from, ok := tierOf(pkg)
		if !ok {
			t.Errorf("%s has no tier: add it to the table and to DESIGN.md", pkg)
			continue
		}
		for _, imp := range strings.Split(imports, ",") {
			checkImport(t, pkg, from, imp)
		}
	}
}

func checkImport(t *testing.T, pkg string, from int, imp string) {
	t.Helper()
	if imp == "" {
		return
	}
	if !strings.HasPrefix(imp, module) {
		if from <= domainTier && !isStdlib(imp) {
			t.Errorf("%s (tier %d, domain) imports %s: domain packages use the standard library only", pkg, from, imp)
		}
		return
	}
	to, ok := tierOf(imp)
	if !ok {
		t.Errorf("%s imports %s, which has no tier", pkg, imp)
		return
	}
	if to > from {
		t.Errorf("%s (tier %d) imports %s (tier %d): imports must point to the same or an earlier tier", pkg, from, imp, to)
	}
	if a, b := side(pkg), side(imp); a != "" && b != "" && a != b {
		t.Errorf("%s imports %s: the IdP and AWS sides meet only through protocols", pkg, imp)
	}
}
