package sso

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/keyward/keyward/internal/cred/awsenv"
)

// Probe checks that the start URL is an access portal before anything is
// written or registered: a portal's start URL answers a web page. A typo
// (another path, another host) is caught here, with the answer it got,
// rather than as an opaque failure in the middle of the sign-in.
func (s Source) Probe(ctx context.Context) error {
	if err := s.Check(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.StartURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/html")
	resp, err := awsenv.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("start URL %s cannot be reached: %w", s.StartURL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	media, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || media != "text/html" {
		return fmt.Errorf("%s is not an AWS access portal start URL (it answered %s, %s): copy the start URL "+
			"from IAM Identity Center's settings page, e.g. https://d-1234567890.awsapps.com/start",
			s.StartURL, resp.Status, orNone(media))
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}
