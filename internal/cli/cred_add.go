package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/keyward/keyward/internal/cred/awsconfig"
	"github.com/keyward/keyward/internal/cred/iamkeys"
	"github.com/keyward/keyward/internal/cred/provider"
)

// maxSecret bounds the secret access key read (AWS's are 40 characters).
const maxSecret = 1024

func addCmd(stdio IO) *cobra.Command {
	var f credFlags
	var keyID, region, mfaSerial string
	cmd := &cobra.Command{
		Use:   "add PROFILE",
		Short: "Keep an IAM user's access keys in the vault (never in ~/.aws/credentials) for a profile",
		Long: `Store an IAM user's long-lived keys in the keyring (or the encrypted file) and write a profile
for them to ~/.aws/config with no secret in it. Every use trades them for a short-lived session
(GetSessionToken, with MFA when --mfa-serial is set), the aws-vault way. The secret access key is
read from the terminal, or from stdin when there is none; it never appears in a process list.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := openCred(cmd.Context(), stdio, &f)
			if err != nil {
				return err
			}
			if keyID == "" {
				return fmt.Errorf("pass --access-key-id")
			}
			secret, err := askTTY("Secret access key for "+keyID+": ", true)
			if errors.Is(err, errNoTTY) {
				secret, err = bufio.NewReader(io.LimitReader(stdio.In, maxSecret+1)).ReadString('\n')
				if strings.TrimSpace(secret) != "" {
					err = nil
				}
			}
			if len(secret) > maxSecret {
				return fmt.Errorf("that is not a secret access key: it is over %d characters", maxSecret)
			}
			secret = strings.TrimSpace(secret)
			if err != nil || secret == "" {
				return fmt.Errorf("no secret access key was given (type it at the prompt, or pipe it on stdin)")
			}
			kvs := []awsconfig.KV{{Key: "credential_process", Value: processCommand(args[0])}}
			if region != "" {
				kvs = append(kvs, awsconfig.KV{Key: "region", Value: region})
			}
			if mfaSerial != "" {
				kvs = append(kvs, awsconfig.KV{Key: "mfa_serial", Value: mfaSerial})
			}
			e.shared.Config.Set(e.shared.Config.Profile(args[0]), kvs...)
			if err := e.shared.Config.Save(); err != nil {
				return err // a name or value the file cannot hold: nothing is kept
			}
			b, _ := json.Marshal(iamkeys.Keys{AccessKeyID: keyID, SecretAccessKey: secret})
			if err := e.keep.Set(cmd.Context(), provider.UserKeysKey(args[0]), b); err != nil {
				return err
			}
			// A session of the keys this replaces is not handed out again.
			if err := e.resolver.Forget(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(stdio.Err, "Kept the keys of %s for profile %s in the %s.\n", keyID, args[0], e.keep.s.Name())
			return nil
		},
	}
	cmd.Flags().StringVar(&keyID, "access-key-id", "", "the IAM user's access key id")
	cmd.Flags().StringVar(&region, "region", "", "the profile's region")
	cmd.Flags().StringVar(&mfaSerial, "mfa-serial", "", "the user's MFA device ARN: every session then asks for a code")
	f.add(cmd)
	return cmd
}

// shellWord quotes s for a shell command line when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/@:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
