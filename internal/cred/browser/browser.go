// Package browser opens a URL in the person's browser, or says why it
// will not: no display, an SSH session, a container. On WSL it opens the
// Windows browser (wslview, else cmd.exe /C start).
//
// It owns: deciding whether a browser can be opened here and which
// command opens it; $BROWSER wins, as for every Unix tool.
//
// It does not own: what is shown instead (the command prints the URL and
// a QR code), or per-role browser profiles (cred/console names them).
package browser

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Env is what the decision reads: the environment and the files that
// betray WSL and containers. Tests supply their own.
type Env struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
	Stat     func(string) (os.FileInfo, error)
	LookPath func(string) (string, error)
	GOOS     string
}

// System is the running system's Env.
func System() Env {
	return Env{Getenv: os.Getenv, ReadFile: os.ReadFile, Stat: os.Stat, LookPath: exec.LookPath, GOOS: runtime.GOOS}
}

// Command returns the command that opens url, or an error saying why no
// browser can be opened here.
func (e Env) Command(url string) ([]string, error) {
	if b := e.Getenv("BROWSER"); b != "" {
		return append(strings.Fields(b), url), nil
	}
	switch e.GOOS {
	case "darwin":
		return []string{"open", url}, nil
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler", url}, nil
	}
	if e.wsl() {
		if _, err := e.LookPath("wslview"); err == nil {
			return []string{"wslview", url}, nil
		}
		// start's first quoted argument is the window title.
		return []string{"cmd.exe", "/C", "start", `""`, strings.ReplaceAll(url, "&", "^&")}, nil
	}
	if why := e.headless(); why != "" {
		return nil, errors.New(why)
	}
	if _, err := e.LookPath("xdg-open"); err != nil {
		return nil, errors.New("xdg-open is not installed")
	}
	return []string{"xdg-open", url}, nil
}

// wsl reports Windows Subsystem for Linux.
func (e Env) wsl() bool {
	if e.Getenv("WSL_DISTRO_NAME") != "" {
		return true
	}
	b, err := e.ReadFile("/proc/sys/kernel/osrelease")
	return err == nil && strings.Contains(strings.ToLower(string(b)), "microsoft")
}

// headless says why this Unix session has no browser, or "".
func (e Env) headless() string {
	switch {
	case e.Getenv("SSH_CONNECTION") != "" || e.Getenv("SSH_TTY") != "":
		return "this is an SSH session"
	case e.container():
		return "this is a container"
	case e.Getenv("DISPLAY") == "" && e.Getenv("WAYLAND_DISPLAY") == "":
		return "there is no display (DISPLAY and WAYLAND_DISPLAY are unset)"
	}
	return ""
}

func (e Env) container() bool {
	if _, err := e.Stat("/.dockerenv"); err == nil {
		return true
	}
	_, err := e.Stat("/run/.containerenv")
	return err == nil
}

// Open starts the browser on url without waiting for it.
func (e Env) Open(url string) error {
	argv, err := e.Command(url)
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() //nolint:errcheck // the browser's exit status says nothing about the sign-in
	return nil
}
