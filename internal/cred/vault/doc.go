// Package vault is where the credential CLI keeps its secrets (SSO tokens,
// client registrations, role credentials) and how its processes take turns
// refreshing them.
//
// It owns: the two stores behind one Store interface — the operating
// system's keyring (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows, through zalando/go-keyring) and an encrypted file
// (argon2id + XChaCha20-Poly1305, 0600, written atomically) for machines
// without one; choosing between them and saying why; asking for the file's
// passphrase (KEYWARD_VAULT_PASSPHRASE or the caller's prompt); a
// cross-process lock per key (flock on files under dir/locks); and Refresh,
// which makes one fetch happen however many goroutines and processes ask
// for the same stale value at once.
//
// It does not own: what the values mean or when they are fresh (the caller
// passes fresh and fetch; cred/sso), where the config directory is (the
// command passes Dir), or how the prompt reaches the person (the command
// supplies a PromptFunc).
//
// Secrets never travel as command-line arguments: the Secret Service and
// Credential Manager are called in-process, and on macOS go-keyring writes
// to /usr/bin/security on its standard input. Limits: Windows Credential
// Manager holds at most 2560 bytes per value and macOS about 3000 bytes
// after base64; a larger value fails with an error that names
// KEYWARD_VAULT=file as the way out. Secret Service values have no
// practical limit.
package vault
