package browser

import (
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fake is an Env over a map of variables and a set of existing files.
func fake(goos string, vars map[string]string, files map[string]string, tools ...string) Env {
	return Env{GOOS: goos,
		Getenv: func(k string) string { return vars[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Stat: func(p string) (os.FileInfo, error) {
			if _, ok := files[p]; ok {
				return nil, nil
			}
			return nil, fs.ErrNotExist
		},
		LookPath: func(t string) (string, error) {
			for _, have := range tools {
				if have == t {
					return "/usr/bin/" + t, nil
				}
			}
			return "", errors.New("not found")
		}}
}

func TestWhichCommandOpensTheBrowser(t *testing.T) {
	const u = "https://x/device?a=1&b=2"
	for _, c := range []struct {
		name string
		env  Env
		want []string
		err  string
	}{
		{"BROWSER wins everywhere", fake("linux", map[string]string{"BROWSER": "firefox --new-window"}, nil),
			[]string{"firefox", "--new-window", u}, ""},
		{"a Linux desktop uses xdg-open", fake("linux", map[string]string{"DISPLAY": ":0"}, nil, "xdg-open"),
			[]string{"xdg-open", u}, ""},
		{"WSL uses wslview when installed", fake("linux", map[string]string{"WSL_DISTRO_NAME": "Debian"}, nil, "wslview"),
			[]string{"wslview", u}, ""},
		{"WSL without wslview uses cmd.exe start with & escaped", fake("linux", nil,
			map[string]string{"/proc/sys/kernel/osrelease": "5.15.90.1-microsoft-standard-WSL2"}),
			[]string{"cmd.exe", "/C", "start", `""`, "https://x/device?a=1^&b=2"}, ""},
		{"macOS uses open", fake("darwin", nil, nil), []string{"open", u}, ""},
		{"an SSH session has no browser", fake("linux", map[string]string{"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, nil, "xdg-open"),
			nil, "this is an SSH session"},
		{"a container has no browser", fake("linux", map[string]string{"DISPLAY": ":0"}, map[string]string{"/.dockerenv": ""}, "xdg-open"),
			nil, "this is a container"},
		{"no display has no browser", fake("linux", nil, nil, "xdg-open"),
			nil, "there is no display (DISPLAY and WAYLAND_DISPLAY are unset)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.env.Command(u)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got); d != "" {
				t.Error(d)
			}
		})
	}
}
