package console

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Isolation is how a console opens apart from the others.
type Isolation string

// The isolations: none (the default browser), a Chromium-family browser
// with a user-data directory per profile, or a Firefox container per
// profile (needs the "Open external links in a container" extension).
const (
	Shared           Isolation = ""
	ChromiumProfile  Isolation = "chromium"
	FirefoxContainer Isolation = "firefox-container"
)

// Command returns the argv that opens signinURL for profile in isolation,
// with browser the browser's command (chromium, google-chrome, firefox)
// and dataDir where per-profile browser data lives. Shared returns nil:
// the caller opens the default browser.
func Command(iso Isolation, browser, profile, signinURL, dataDir string) ([]string, error) {
	switch iso {
	case Shared:
		return nil, nil
	case ChromiumProfile:
		dir := filepath.Join(dataDir, "browser", safe(profile))
		return []string{browser, "--user-data-dir=" + dir, "--no-first-run", "--no-default-browser-check", signinURL}, nil
	case FirefoxContainer:
		u := "ext+container:name=" + url.QueryEscape(profile) + "&url=" + url.QueryEscape(signinURL)
		return []string{browser, u}, nil
	}
	return nil, fmt.Errorf("unknown browser isolation %q: use chromium or firefox-container", iso)
}

// safe is profile as one path element.
func safe(profile string) string {
	s := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == 0 {
			return '_'
		}
		return r
	}, profile)
	if s == "." || s == ".." {
		return "_"
	}
	return s
}
