package cli

import (
	"regexp"
	"strings"
	"testing"
)

func TestSAMLKeysRotateWithTheNextKeyPublishedFirst(t *testing.T) {
	dir := served(t)
	env := map[string]string{"KEYWARD_DATA_DIR": dir}
	code, out, errOut := run(t, "", env, "admin", "saml-keys", "rotate")
	if code != 0 {
		t.Fatalf("rotate: exit %d: %s", code, errOut)
	}
	next := regexp.MustCompile(`^Key (\S+) is published now and signs from \S+\.\n$`).FindStringSubmatch(out)
	if next == nil {
		t.Fatalf("rotate printed %q", out)
	}
	_, list, _ := run(t, "", env, "admin", "saml-keys", "list")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[1], "signing") || !strings.HasPrefix(lines[2], next[1]) ||
		!strings.HasSuffix(lines[2], "next (published)") {
		t.Errorf("after a rotation the list is\n%s\nwant the first key signing and %s next", list, next[1])
	}
}
