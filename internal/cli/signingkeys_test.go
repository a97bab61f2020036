package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestSigningKeysRotateWithTheNextKeyPublishedFirst(t *testing.T) {
	dir := served(t)
	for _, kind := range []string{"saml-keys", "oidc-keys"} {
		t.Run(kind, func(t *testing.T) { rotateAndList(t, dir, kind) })
	}
}

func rotateAndList(t *testing.T, dir, kind string) {
	env := map[string]string{"KEYWARD_DATA_DIR": dir}
	code, out, errOut := run(t, "", env, "admin", kind, "rotate")
	if code != 0 {
		t.Fatalf("rotate: exit %d: %s", code, errOut)
	}
	next := regexp.MustCompile(`^Key (\S+) is published now and signs from \S+\.\n$`).FindStringSubmatch(out)
	if next == nil {
		t.Fatalf("rotate printed %q", out)
	}
	_, list, _ := run(t, "", env, "admin", kind, "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[1], "signing") || !strings.HasPrefix(lines[2], next[1]) ||
		!strings.HasSuffix(lines[2], "next (published)") {
		t.Errorf("after a rotation the list is\n%s\nwant the first key signing and %s next", list, next[1])
	}
}
