package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/keyward/keyward/internal/cred/iamkeys"
)

// errNoTTY is a prompt with no terminal to ask on: credential_process
// and IDE-started processes have none.
var errNoTTY = errors.New("no terminal to ask on")

// askTTY asks on the controlling terminal, not stdin/stdout, which may be
// a pipe to an SDK (credential_process) or a shell's eval. secret hides
// what is typed.
func askTTY(prompt string, secret bool) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errNoTTY
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	if secret {
		b, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		return string(b), err
	}
	line, err := bufio.NewReader(tty).ReadString('\n')
	return strings.TrimSpace(line), err
}

// ttyPassphrase asks for the vault file's passphrase.
func ttyPassphrase(prompt string) (string, error) {
	p, err := askTTY(prompt, true)
	if errors.Is(err, errNoTTY) {
		return "", fmt.Errorf("the vault needs its passphrase and there is no terminal to ask on: " +
			"set KEYWARD_VAULT_PASSPHRASE, or run the command once in a terminal")
	}
	return p, err
}

// mfaPrompt answers MFA with code when given, else asks on the terminal.
func mfaPrompt(code string) iamkeys.MFA {
	return func(serial string) (string, error) {
		if code != "" {
			return code, nil
		}
		c, err := askTTY("MFA code for "+serial+": ", false)
		if errors.Is(err, errNoTTY) {
			return "", fmt.Errorf("%s needs an MFA code and there is no terminal to ask on: pass --mfa-code", serial)
		}
		return c, err
	}
}
