// Package console turns role credentials into an AWS Management Console
// sign-in URL through AWS's federation endpoint (getSigninToken, then
// Action=login), and opens it so several roles' consoles stay open at once.
//
// It owns: the federation endpoint's wire (the Session JSON, the
// Issuer and Destination), the per-role browser isolation (a Chromium
// user-data directory or a Firefox container per profile).
//
// It does not own: where the credentials come from, or deciding whether a
// browser can be opened (cred/browser).
package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyward/keyward/internal/cred/awsenv"
	"github.com/keyward/keyward/internal/cred/output"
)

// Federation is the default federation endpoint. AWS_ENDPOINT_URL_SIGNIN
// (keyward's name, after the SDKs' AWS_ENDPOINT_URL_<SERVICE>) replaces it.
const Federation = "https://signin.aws.amazon.com/federation"

// issuer is the Issuer the console shows on "sign out": where to return.
const issuer = "https://github.com/keyward/keyward"

// URL signs c in to the console and returns the one-time sign-in URL. It
// lands on region's console home when region is set.
func URL(ctx context.Context, c output.Credentials, region string) (string, error) {
	endpoint := Federation
	if u := awsenv.Endpoint("SIGNIN"); u != "" {
		endpoint = strings.TrimSuffix(u, "/") + "/federation"
	}
	token, err := signinToken(ctx, endpoint, c)
	if err != nil {
		return "", err
	}
	dest := "https://console.aws.amazon.com/"
	if region != "" {
		dest = "https://" + region + ".console.aws.amazon.com/console/home?region=" + url.QueryEscape(region)
	}
	q := url.Values{"Action": {"login"}, "Issuer": {issuer}, "Destination": {dest}, "SigninToken": {token}}
	return endpoint + "?" + q.Encode(), nil
}

// signinToken trades c for a sign-in token. Role session credentials
// take no SessionDuration: the console session ends with them.
func signinToken(ctx context.Context, endpoint string, c output.Credentials) (string, error) {
	if c.SessionToken == "" {
		return "", fmt.Errorf("the console needs temporary credentials; long-lived IAM user keys cannot sign in to it")
	}
	session, _ := json.Marshal(map[string]string{"sessionId": c.AccessKeyID, "sessionKey": c.SecretAccessKey,
		"sessionToken": c.SessionToken})
	q := url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	resp, err := awsenv.HTTPClient.Do(req)
	if err != nil {
		// The client's error quotes the URL, whose query holds the
		// credentials: say what failed without it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("cannot reach the console sign-in endpoint %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var out struct{ SigninToken string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || out.SigninToken == "" {
		return "", fmt.Errorf("the console sign-in endpoint refused the credentials (HTTP %d): %s",
			resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return out.SigninToken, nil
}
