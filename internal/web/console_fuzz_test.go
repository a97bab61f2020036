package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzConsoleDestination: the federation endpoint redirects only to the
// console page on this site, whatever Destination says.
func FuzzConsoleDestination(f *testing.F) {
	for _, s := range []string{"", "/console", "/console?x=1", "https://console.aws.amazon.com/ec2/home", "https://us-east-1.console.aws.amazon.com/",
		"https://evil.example/", "//evil.example", "/console/../..//evil", `/console\@evil`, "https://console.aws.amazon.com.evil.example/",
		"https://user@console.aws.amazon.com/", "javascript:alert(1)", "http://console.aws.amazon.com/"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://aws.keyward.example/federation")
	f.Fuzz(func(t *testing.T, dest string) {
		got, err := consoleDestination(dest)
		if err != nil {
			return
		}
		if got != consolePath && !strings.HasPrefix(got, consolePath+"?") {
			t.Fatalf("consoleDestination(%q) = %q, not the console page", dest, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(got)
		ref, err := url.Parse(browser)
		if err != nil || base.ResolveReference(ref).Host != base.Host || base.ResolveReference(ref).Path != consolePath {
			t.Fatalf("consoleDestination(%q) = %q, which a browser resolves elsewhere", dest, got)
		}
	})
}

func TestTheFederationEndpointRedirectsOnlyToTheConsole(t *testing.T) {
	for dest, want := range map[string]string{
		"": "/console",
		"https://console.aws.amazon.com/ec2/home":      "/console?destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2%2Fhome",
		"https://eu-west-1.console.aws.amazon.com/":    "/console?destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2F",
		"https://console.aws.amazon.com.evil.example/": "",
		"http://console.aws.amazon.com/":               "",
		"https://user@console.aws.amazon.com/":         "",
		"//evil.example":                               "",
		"/console/../evil":                             "",
	} {
		got, err := consoleDestination(dest)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("consoleDestination(%q) = %q, %v; want %q", dest, got, err, want)
		}
	}
}
