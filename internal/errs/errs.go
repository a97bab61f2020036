// Package errs holds the error type every keyward package returns for a caller's
// mistake or a refusal. A protocol renderer (AWS JSON, STS XML, OAuth, HTML) turns
// an *Error into its own wire shape; errs itself knows nothing about wires.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error the way every protocol needs to: which HTTP status
// and which family of error code it maps to.
type Kind string

// The kinds. Anything that is not an *Error is Internal.
const (
	Invalid         Kind = "invalid"         // malformed or out-of-range input
	NotFound        Kind = "not_found"       // the named thing does not exist
	Conflict        Kind = "conflict"        // uniqueness or state conflict
	Unauthenticated Kind = "unauthenticated" // missing, unknown or expired credentials
	Denied          Kind = "denied"          // authenticated but not allowed
	Throttled       Kind = "throttled"       // too many attempts
	Internal        Kind = "internal"        // our fault; never the client's
)

// Error is a classified error with a message meant for the client.
type Error struct {
	Kind Kind
	// Code, when set, is the exact protocol error code (for example
	// "InvalidClientTokenId"); otherwise the renderer picks one from Kind.
	Code    string
	Message string
	// Reason and Resource carry the optional AWS fields Reason, ResourceType
	// and ResourceId. A store fills ResourceType and ResourceID with its own
	// neutral names (store.Resource*), which protocol packages word.
	Reason       string
	ResourceType string
	ResourceID   string
	// Field names what a conflict is about (store.Field*), for the protocol
	// package to word; it never reaches a client as is.
	Field string
	// Err is an underlying cause, kept for logs and never shown to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error of kind with a formatted message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// WithCode returns a copy of e carrying an exact protocol code.
func (e *Error) WithCode(code string) *Error {
	c := *e
	c.Code = code
	return &c
}

// WithReason returns a copy of e carrying an AWS Reason.
func (e *Error) WithReason(reason string) *Error {
	c := *e
	c.Reason = reason
	return &c
}

// WithResource returns a copy of e naming the resource it is about.
func (e *Error) WithResource(typ, id string) *Error {
	c := *e
	c.ResourceType, c.ResourceID = typ, id
	return &c
}

// WithField returns a copy of e naming the field a conflict is about.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf returns err's kind: Internal for anything that is not an *Error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}

// Is reports whether err is an *Error of kind.
func Is(err error, kind Kind) bool {
	return err != nil && KindOf(err) == kind
}
