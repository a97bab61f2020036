package cli

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/mdp/qrterminal/v3"
	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/browser"
	"github.com/keyward/keyward/internal/cred/okta"
	"github.com/keyward/keyward/internal/cred/sso"
)

type loginOptions struct {
	credFlags
	okta                              oktaFlags
	startURL, region, session, scopes string
	noBrowser, deviceCode             bool
}

func loginCmd(stdio IO) *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to IAM Identity Center (AWS's or keyward's) and keep the sign-in for every other command",
		Long: `Sign in at an access portal start URL, or with --okta-org at an Okta org (okta-aws-cli's path:
device authorization, then the AWS Account Federation app's SAML assertion).

The first time, pass --start-url and --region: the sign-in is saved as an [sso-session NAME] section
in ~/.aws/config (NAME from --sso-session, else from the URL), which the AWS CLI and SDKs understand
too. Later, ` + "`keyward login`" + ` alone signs in again.

With a browser, the sign-in uses authorization code with PKCE; with no display (SSH, a container),
--no-browser or --device-code, the device flow, printing the URL and a QR code. The tokens go to the
OS keyring, or to an encrypted file where there is none, and a copy of the access token to
~/.aws/sso/cache so ` + "`aws`" + ` shares the sign-in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openCred(cmd.Context(), stdio, &o.credFlags)
			if err != nil {
				return err
			}
			if o.okta.org != "" {
				return e.loginOkta(cmd, o.okta, o.noBrowser)
			}
			src, isNew, err := e.loginSource(cmd, o)
			if err != nil {
				return err
			}
			client := sso.New(src, e.keep)
			client.AWSCacheDir, client.DeviceCode = e.resolver.AWSCacheDir, o.deviceCode
			tok, err := client.Login(cmd.Context(), newPrompt(stdio.Err, o.noBrowser))
			if err != nil {
				return err
			}
			// The new sign-in replaces the old: its profiles' cached role
			// credentials were the old one's (maybe someone else's).
			if err := e.forgetCredentials(cmd.Context(), "sso-session "+src.Name); err != nil {
				return err
			}
			if isNew {
				if err := e.saveSession(src); err != nil {
					return err
				}
			}
			fmt.Fprintf(stdio.Err, "Signed in to %s as sso-session %s (valid until %s).\n", src.StartURL, src.Name,
				tok.ExpiresAt.Local().Format("15:04 MST"))
			fmt.Fprintf(stdio.Err, "Next: `keyward profiles sync --sso-session %s` writes a profile per account and role.\n", src.Name)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.startURL, "start-url", "", "the access portal's start URL (first sign-in)")
	f.StringVar(&o.region, "region", "", "IAM Identity Center's region (first sign-in; default us-east-1)")
	f.StringVar(&o.session, "sso-session", "", "the sign-in's name: several start URLs, or two identities on one, each get their own")
	f.StringVar(&o.scopes, "scopes", "", "scopes to ask for, comma-separated (default sso:account:access)")
	f.BoolVar(&o.noBrowser, "no-browser", false, "print the URL and a QR code instead of opening a browser")
	f.BoolVar(&o.deviceCode, "device-code", false, "sign in with the device code flow even where the browser flow works")
	o.okta.add(cmd, true)
	o.credFlags.add(cmd)
	return cmd
}

// loginSource is the sign-in login runs: a new one from --start-url
// (isNew: saveSession writes it once the sign-in succeeded, so a refused
// or abandoned one leaves ~/.aws/config as it was), or a saved one.
func (e *credEnv) loginSource(cmd *cobra.Command, o loginOptions) (src sso.Source, isNew bool, err error) {
	if o.startURL == "" {
		name, err := e.pickSession(o.session)
		if err != nil {
			return sso.Source{}, false, err
		}
		src, err = e.resolver.Source(name)
		return src, false, err
	}
	src = sso.Source{Name: o.session, StartURL: strings.TrimRight(o.startURL, "/"), Region: o.region}
	if src.Name == "" {
		src.Name = sessionName(src.StartURL)
	}
	if src.Region == "" {
		src.Region = "us-east-1"
	}
	for _, sc := range strings.Split(o.scopes, ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			src.Scopes = append(src.Scopes, sc)
		}
	}
	return src, true, src.Probe(cmd.Context())
}

// saveSession writes src as an [sso-session] section.
func (e *credEnv) saveSession(src sso.Source) error {
	kvs := []awsconfig.KV{{Key: "sso_start_url", Value: src.StartURL}, {Key: "sso_region", Value: src.Region},
		{Key: "sso_registration_scopes", Value: strings.Join(scopesOr(src.Scopes), ",")}}
	e.shared.Config.Set(awsconfig.SSOSessionSection(src.Name), kvs...)
	return e.shared.Config.Save()
}

func scopesOr(s []string) []string {
	if len(s) == 0 {
		return sso.DefaultScopes
	}
	return s
}

// pickSession is the sign-in a command means: the one named, else the
// only one there is.
func (e *credEnv) pickSession(name string) (string, error) {
	if name != "" {
		return name, nil
	}
	sessions := e.shared.Config.SSOSessions()
	sort.Strings(sessions)
	switch len(sessions) {
	case 0:
		return "", fmt.Errorf("there is no sign-in yet: run `keyward login --start-url URL --region REGION`")
	case 1:
		return sessions[0], nil
	}
	return "", fmt.Errorf("there are %d sign-ins (%s): pick one with --sso-session", len(sessions), strings.Join(sessions, ", "))
}

var nameUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// sessionName names a sign-in after its start URL: d-1234567890 for
// https://d-1234567890.awsapps.com/start, the host otherwise.
func sessionName(startURL string) string {
	u, err := url.Parse(startURL)
	if err != nil || u.Hostname() == "" {
		return "default"
	}
	host := u.Hostname()
	if strings.HasSuffix(host, ".awsapps.com") {
		host = strings.TrimSuffix(host, ".awsapps.com")
	}
	return strings.Trim(nameUnsafe.ReplaceAllString(host, "-"), "-")
}

func logoutCmd(stdio IO) *cobra.Command {
	var f credFlags
	var o oktaFlags
	var session string
	var all bool
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Forget a sign-in: its tokens here and in the AWS CLI's cache",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openCred(cmd.Context(), stdio, &f)
			if err != nil {
				return err
			}
			if o.session != "" {
				src, err := e.resolver.OktaSource(o.session)
				if err != nil {
					return err
				}
				if err := okta.New(src, e.keep).Logout(cmd.Context()); err != nil {
					return err
				}
				if err := e.forgetCredentials(cmd.Context(), oktaKind+" "+o.session); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Err, "Signed out of keyward-okta %s.\n", o.session)
				return nil
			}
			names := []string{session}
			if all {
				names = e.shared.Config.SSOSessions()
			} else if names[0], err = e.pickSession(session); err != nil {
				return err
			}
			for _, n := range names {
				src, err := e.resolver.Source(n)
				if err != nil {
					return err
				}
				c := sso.New(src, e.keep)
				c.AWSCacheDir = e.resolver.AWSCacheDir
				if err := c.Logout(cmd.Context()); err != nil {
					return err
				}
				if err := e.forgetCredentials(cmd.Context(), "sso-session "+n); err != nil {
					return err
				}
				fmt.Fprintf(stdio.Err, "Signed out of sso-session %s.\n", n)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&session, "sso-session", "", "the sign-in to forget")
	cmd.Flags().BoolVar(&all, "all", false, "forget every Identity Center sign-in")
	o.add(cmd, false)
	f.add(cmd)
	return cmd
}

// forgetCredentials drops the cached role credentials of every profile
// made with signIn (provider.Resolver.SignIn), as `aws sso logout` clears
// the AWS CLI's: after a logout none are handed out, to anyone, and after
// a new login only the new sign-in's are.
func (e *credEnv) forgetCredentials(ctx context.Context, signIn string) error {
	for _, p := range e.shared.Config.Profiles() {
		if e.resolver.SignIn(p) != signIn {
			continue
		}
		if err := e.resolver.Forget(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// prompt shows where to approve a sign-in: the browser when there is one,
// else the URL and a QR code to scan with a phone.
type prompt struct {
	out       io.Writer
	noBrowser bool
	browser   browser.Env
}

// newPrompt is the sign-in's prompt: with a browser to open, one that can
// also sign in with authorization code and PKCE (a BrowserPrompt); without
// one, or with --no-browser, the device flow's alone.
func newPrompt(out io.Writer, noBrowser bool) sso.Prompt {
	p := prompt{out: out, noBrowser: noBrowser, browser: browser.System()}
	if _, err := p.browser.Command("https://example.com/"); err != nil || noBrowser {
		return p
	}
	return browserPrompt{p}
}

func (p prompt) Approve(verificationURL, userCode string) error {
	fmt.Fprintf(p.out, "To sign in, open %s\nand check that it shows the code %s.\n", verificationURL, userCode)
	if !p.noBrowser {
		err := p.browser.Open(verificationURL)
		if err == nil {
			fmt.Fprintln(p.out, "(opened in your browser)")
			return nil
		}
		fmt.Fprintf(p.out, "(no browser: %v)\n", err)
	}
	qrterminal.GenerateHalfBlock(verificationURL, qrterminal.L, p.out)
	fmt.Fprintln(p.out, "Waiting for the approval…")
	return nil
}

// browserPrompt opens the authorization page itself.
type browserPrompt struct{ prompt }

func (p browserPrompt) Open(authorizeURL string) error {
	fmt.Fprintf(p.out, "Signing in in your browser. If it does not open, open %s\n", authorizeURL)
	return p.browser.Open(authorizeURL)
}
