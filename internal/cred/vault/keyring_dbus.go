//go:build unix && !darwin

package vault

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/godbus/dbus/v5"
)

var errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

// sessionBusMissing reports a machine with no session bus before
// go-keyring gets to it: godbus would otherwise run dbus-launch and leave
// a stray bus daemon behind on every headless run.
func sessionBusMissing() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	if u, err := user.Current(); err == nil {
		run := filepath.Join("/run/user", u.Uid)
		for _, f := range []string{"bus", "dbus-session"} {
			if _, err := os.Stat(filepath.Join(run, f)); err == nil {
				return nil
			}
		}
	}
	return errNoSessionBus
}

// describeKeyringError says in a few words why the Secret Service did not
// answer.
func describeKeyringError(err error) string {
	name := ""
	var de dbus.Error
	var pe *dbus.Error
	switch {
	case errors.As(err, &de):
		name = de.Name
	case errors.As(err, &pe):
		name = pe.Name
	case strings.Contains(err.Error(), "failed to unlock"):
		return "the Secret Service has no unlocked default keyring (unlock or create one, e.g. in Seahorse)"
	default:
		return err.Error()
	}
	switch name {
	case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
		return "no Secret Service on the session bus (start gnome-keyring, KeePassXC or another Secret Service)"
	case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout":
		return "the Secret Service did not answer"
	}
	return fmt.Sprintf("the Secret Service refused: %v", err)
}
