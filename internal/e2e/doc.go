// Package e2e holds keyward's end-to-end tests: the real app.Main on port 0,
// driven by real clients (aws-sdk-go-v2, the Debian AWS CLI v2, boto3 and
// Chromium) over loopback HTTP, as a person and an administrator would.
// It has no non-test code besides this comment.
package e2e
