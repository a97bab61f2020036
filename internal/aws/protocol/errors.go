package protocol

import (
	"log/slog"
	"net/http"

	"github.com/keyward/keyward/internal/errs"
)

// Codes maps error kinds to one protocol's (or service's) default error code
// and HTTP status. A code set explicitly on an *errs.Error wins over the
// default; Status is then looked up by code first, then by kind.
type Codes struct {
	ByKind   map[errs.Kind]string
	Status   map[errs.Kind]int
	ByCode   map[string]int // status overrides for explicit codes
	Fallback string         // code for kinds missing from ByKind
}

// Problem is a rendered error: what the wire needs to say.
type Problem struct {
	Status  int
	Code    string
	Message string
	Err     *errs.Error
}

// Resolve classifies err for c. Internal errors are logged with their cause
// and replaced by a generic message, so no internal detail reaches a client.
func (c Codes) Resolve(r *http.Request, err error) Problem {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		slog.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = errs.E(errs.Internal, "An internal error occurred. Try again later.")
	}
	code := e.Code
	if code == "" {
		code = c.ByKind[e.Kind]
	}
	if code == "" {
		code = c.Fallback
	}
	status, ok := c.ByCode[code]
	if !ok {
		status = c.Status[e.Kind]
	}
	if status == 0 {
		status = http.StatusBadRequest
	}
	return Problem{Status: status, Code: code, Message: e.Message, Err: e}
}

// Statuses shared by the AWS JSON services: every client error is 400, an
// internal one 500.
var jsonStatus = map[errs.Kind]int{errs.Internal: http.StatusInternalServerError}

// JSONCodes are the awsJson1_1 defaults (SSO Admin, Identity Store).
var JSONCodes = Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "ValidationException",
		errs.NotFound:        "ResourceNotFoundException",
		errs.Conflict:        "ConflictException",
		errs.Unauthenticated: "UnrecognizedClientException",
		errs.Denied:          "AccessDeniedException",
		errs.Throttled:       "ThrottlingException",
		errs.Internal:        "InternalServerException",
	},
	Status:   jsonStatus,
	Fallback: "InternalServerException",
}
