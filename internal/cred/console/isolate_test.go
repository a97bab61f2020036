package console

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEachProfileOpensInItsOwnBrowserProfileOrContainer(t *testing.T) {
	const signin = "https://signin.aws.amazon.com/federation?Action=login&SigninToken=x"
	dev, err := Command(ChromiumProfile, "chromium", "dev-admin", signin, "/home/a/.config/keyward")
	if err != nil {
		t.Fatal(err)
	}
	prod, _ := Command(ChromiumProfile, "chromium", "prod-admin", signin, "/home/a/.config/keyward")
	if dev[0] != "chromium" || dev[len(dev)-1] != signin ||
		!slices.Contains(dev, "--user-data-dir="+filepath.Join("/home/a/.config/keyward", "browser", "dev-admin")) {
		t.Errorf("chromium argv = %q", dev)
	}
	if slices.Equal(dev, prod) {
		t.Error("two profiles share one browser profile")
	}
	evil, _ := Command(ChromiumProfile, "chromium", "../../etc", signin, "/d")
	for _, a := range evil {
		if strings.HasPrefix(a, "--user-data-dir=") && filepath.Dir(strings.TrimPrefix(a, "--user-data-dir=")) != "/d/browser" {
			t.Errorf("profile ../../etc escapes the browser directory: %s", a)
		}
	}
	ff, _ := Command(FirefoxContainer, "firefox", "dev admin", signin, "/d")
	if len(ff) != 2 || !strings.HasPrefix(ff[1], "ext+container:name=dev+admin&url=https%3A%2F%2Fsignin") {
		t.Errorf("firefox argv = %q", ff)
	}
	if argv, err := Command(Shared, "chromium", "dev", signin, "/d"); argv != nil || err != nil {
		t.Errorf("shared: %q, %v; want the default browser (nil)", argv, err)
	}
	if _, err := Command("safari-tabs", "safari", "dev", signin, "/d"); err == nil || !strings.Contains(err.Error(), "chromium or firefox-container") {
		t.Errorf("an unknown isolation: %v", err)
	}
}
