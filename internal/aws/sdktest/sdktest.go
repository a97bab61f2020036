// Package sdktest holds what the AWS side's tests share about the real
// aws-sdk-go-v2 clients they drive.
//
// It owns: the retry policy of those clients (Retryer).
//
// It does not own: the test servers or their clients' endpoints and
// credentials (each package's harness builds those).
package sdktest

import (
	"errors"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Retryer retries nothing the server answered, so a refusal a test sees is
// the server's first answer. It retries one client-side race only, at
// once: the Go transport can close a connection whose response is still
// being read when the SDK closes the request body first
// (aws/aws-sdk-go-v2#2737), seen as "use of closed network connection";
// the SDK's standard retryer retries that error (net.ErrClosed) for the
// same reason.
func Retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.Retryables = []retry.IsErrorRetryable{retry.IsErrorRetryableFunc(closedByClient)}
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None // the default token bucket would stop retrying after a run of them
	})
}

func closedByClient(err error) aws.Ternary {
	if errors.Is(err, net.ErrClosed) {
		return aws.TrueTernary
	}
	return aws.FalseTernary
}
