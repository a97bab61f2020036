package scimserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/errs"
)

const schemaError = "urn:ietf:params:scim:api:messages:2.0:Error"

// errorBody is AWS's SCIM error: both `schema` and `schemas`, the status
// as a string, the request id and a timestamp.
type errorBody struct {
	Schema             []string `json:"schema"`
	Schemas            []string `json:"schemas"`
	Detail             string   `json:"detail"`
	Status             string   `json:"status"`
	ExceptionRequestID string   `json:"exceptionRequestId"`
	TimeStamp          string   `json:"timeStamp"`
}

// problem is how one kind of error is answered.
type problem struct {
	status int
	name   string // the exception AWS names in its SCIM guide
}

var problems = map[errs.Kind]problem{
	errs.Invalid:         {http.StatusBadRequest, "ValidationException"},
	errs.Unauthenticated: {http.StatusUnauthorized, "UnauthorizedException"},
	errs.Denied:          {http.StatusForbidden, "AccessDeniedException"},
	errs.NotFound:        {http.StatusNotFound, "ResourceNotFoundException"},
	errs.Conflict:        {http.StatusConflict, "ConflictException"},
	errs.Throttled:       {http.StatusTooManyRequests, "ThrottlingException"},
}

func invalid(format string, args ...any) error { return errs.E(errs.Invalid, format, args...) }

func unauthorized() error {
	return errs.E(errs.Unauthenticated, "The authorization header is invalid or missing, or the tenant id is incorrect.")
}

// detail is the message a client sees. Store messages name internal
// tables, so not-found and conflict get AWS's wording.
func detail(e *errs.Error) string {
	switch e.Kind {
	case errs.NotFound:
		if e.ResourceID != "" {
			return fmt.Sprintf("Resource %s is not found.", e.ResourceID)
		}
		return "Resource is not found."
	case errs.Conflict:
		return "Refused to create a new, duplicate resource."
	}
	return e.Message
}

// writeError renders err as a SCIM error. Anything that is not an
// *errs.Error of a known kind is a 500 that says nothing of its cause.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p, msg := problem{http.StatusInternalServerError, "InternalServerException"}, "The service failed to process the request."
	if e, ok := errs.As(err); ok {
		if known, ok := problems[e.Kind]; ok {
			p, msg = known, detail(e)
		}
	}
	body := errorBody{
		Schema: []string{schemaError}, Schemas: []string{schemaError}, Detail: msg,
		Status: strconv.Itoa(p.status), ExceptionRequestID: protocol.RequestID(r.Context()),
		TimeStamp: s.Clock.Now().UTC().Format("2006-01-02 15:04:05.000"),
	}
	w.Header().Set("x-amzn-ErrorType", p.name)
	writeJSON(w, p.status, body)
}

// writeJSON answers v as application/json with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"status":"500"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
