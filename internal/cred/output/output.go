// Package output renders short-lived AWS credentials for the tools that
// consume them: the credential_process JSON every AWS SDK reads, export
// lines for bash/zsh, fish, PowerShell and cmd, and the environment of a
// command run with them.
//
// It owns: the formats and their quoting (a secret never breaks out of its
// quotes, whatever it holds), and which variables a child must not inherit
// so that only the credentials given reach it.
//
// It does not own: getting or caching credentials, or running the child.
package output

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Credentials are what a tool is handed.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time // zero for long-lived keys
	Region          string    // "" leaves the region to the tool
}

// processJSON is the credential_process answer (version 1).
type processJSON struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
}

// Process renders c as a credential_process answer.
func Process(c Credentials) []byte {
	p := processJSON{Version: 1, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
	if !c.Expiration.IsZero() {
		p.Expiration = c.Expiration.UTC().Format(time.RFC3339)
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	return append(b, '\n')
}

// Shells are the shells Env renders for.
var Shells = []string{"bash", "zsh", "fish", "powershell", "cmd"}

// Env renders c (and profile, as AWS_PROFILE's stand-in for prompts) as
// lines that set the variables in shell, unsetting the ones a tool would
// otherwise prefer over them.
func Env(c Credentials, shell string) (string, error) {
	set, unset, ok := syntax(shell)
	if !ok {
		return "", fmt.Errorf("unknown shell %q: use one of %s", shell, strings.Join(Shells, ", "))
	}
	var b strings.Builder
	for _, kv := range vars(c) {
		if shell == "cmd" && strings.ContainsAny(kv[1], cmdUnquotable) {
			return "", fmt.Errorf("%s holds a character cmd cannot quote; use PowerShell", kv[0])
		}
	}
	for _, k := range shadowing {
		b.WriteString(unset(k) + "\n")
	}
	for _, kv := range vars(c) {
		b.WriteString(set(kv[0], kv[1]) + "\n")
	}
	return b.String(), nil
}

// shadowing are variables that would win over the ones Env and Environ
// set, or describe another identity.
var shadowing = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"}

// vars are the variables for c, in a fixed order.
func vars(c Credentials) [][2]string {
	v := [][2]string{{"AWS_ACCESS_KEY_ID", c.AccessKeyID}, {"AWS_SECRET_ACCESS_KEY", c.SecretAccessKey}}
	if c.SessionToken != "" {
		v = append(v, [2]string{"AWS_SESSION_TOKEN", c.SessionToken})
	}
	if !c.Expiration.IsZero() {
		v = append(v, [2]string{"AWS_CREDENTIAL_EXPIRATION", c.Expiration.UTC().Format(time.RFC3339)})
	}
	if c.Region != "" {
		v = append(v, [2]string{"AWS_REGION", c.Region}, [2]string{"AWS_DEFAULT_REGION", c.Region})
	}
	return v
}

func syntax(shell string) (set func(k, v string) string, unset func(k string) string, ok bool) {
	switch shell {
	case "bash", "zsh", "sh":
		return func(k, v string) string { return "export " + k + "=" + posixQuote(v) },
			func(k string) string { return "unset " + k }, true
	case "fish":
		return func(k, v string) string { return "set -gx " + k + " " + fishQuote(v) },
			func(k string) string { return "set -e " + k }, true
	case "powershell", "pwsh":
		return func(k, v string) string { return "$Env:" + k + " = '" + psQuote.Replace(v) + "'" },
			func(k string) string { return "Remove-Item Env:" + k + " -ErrorAction SilentlyContinue" }, true
	case "cmd":
		return func(k, v string) string { return `set "` + k + "=" + v + `"` },
			func(k string) string { return `set "` + k + `="` }, true
	}
	return nil, nil, false
}

// cmdUnquotable are characters that end or expand inside cmd's
// set "K=V": AWS credentials never hold them.
const cmdUnquotable = "\"%!\r\n"

// psQuote doubles PowerShell's single-quote characters inside '...': the
// typographic ones (U+2018 to U+201B) end a string there as ' does.
var psQuote = strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019",
	"\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b")

func posixQuote(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }

func fishQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(v) + "'"
}

// Environ is environ (KEY=VALUE pairs) with every AWS credential and
// profile variable removed and c's set: the environment of a command run
// with c. extra pairs are added last.
func Environ(environ []string, c Credentials, extra ...string) []string {
	drop := append(slices.Clone(shadowing), "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")
	if c.Region != "" {
		drop = append(drop, "AWS_REGION", "AWS_DEFAULT_REGION")
	}
	out := make([]string, 0, len(environ)+8)
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, k) {
			out = append(out, kv)
		}
	}
	for _, kv := range vars(c) {
		out = append(out, kv[0]+"="+kv[1])
	}
	return append(out, extra...)
}
