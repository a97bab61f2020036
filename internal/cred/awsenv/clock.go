package awsenv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// ClockHint adds what to do to an error a wrong clock causes: AWS refuses
// a signature made more than a few minutes (15 for STS and IAM) from its
// own time (and SSO tokens look expired or not yet valid), which reads as
// an unrelated signature failure unless someone says so.
func ClockHint(err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return err
	}
	msg := api.ErrorMessage()
	switch {
	case api.ErrorCode() == "RequestTimeTooSkewed", api.ErrorCode() == "RequestExpired",
		strings.HasPrefix(msg, "Signature expired"), strings.HasPrefix(msg, "Signature not yet current"):
		return fmt.Errorf("%w\nThis computer's clock and AWS's disagree by more than AWS allows: set the clock right "+
			"(timedatectl set-ntp true; on macOS, Date & Time settings; on Windows, w32tm /resync) and try again", err)
	}
	return err
}
