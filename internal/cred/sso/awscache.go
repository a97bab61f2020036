package sso

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// awsCacheEntry is the AWS CLI's cached SSO token (botocore's
// SSOTokenLoader format), keyed by the SHA-1 of the sso-session name.
// Only the access token is written: the AWS CLI stores everything in this
// file in the clear, so the refresh token and the client secret stay in
// the Keeper, and `aws` asks keyward (or the person) to sign in again
// once the access token expires.
type awsCacheEntry struct {
	StartURL    string `json:"startUrl"`
	Region      string `json:"region"`
	AccessToken string `json:"accessToken"`
	ExpiresAt   string `json:"expiresAt"`
}

// AWSCacheFile is where the AWS CLI and SDKs look for the token of the
// sso-session name under dir.
func AWSCacheFile(dir, name string) string {
	sum := sha1.Sum([]byte(name))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json")
}

func (c *Client) writeAWSCache(t Token) error {
	if c.AWSCacheDir == "" {
		return nil
	}
	b, _ := json.MarshalIndent(awsCacheEntry{StartURL: c.Source.StartURL, Region: c.Source.Region,
		AccessToken: t.AccessToken, ExpiresAt: t.ExpiresAt.UTC().Format(time.RFC3339)}, "", "  ")
	if err := os.MkdirAll(c.AWSCacheDir, 0o700); err != nil {
		return err
	}
	return writeFile0600(AWSCacheFile(c.AWSCacheDir, c.Source.Name), b)
}

func (c *Client) removeAWSCache() error {
	if c.AWSCacheDir == "" {
		return nil
	}
	err := os.Remove(AWSCacheFile(c.AWSCacheDir, c.Source.Name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// writeFile0600 replaces name atomically with a 0600 file holding b.
func writeFile0600(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".keyward-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
