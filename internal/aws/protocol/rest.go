package protocol

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// REST binds one restJson1 service's operations (the SSO portal API,
// SSO-OIDC) to HTTP. It owns what every such operation repeats: reading the
// path, query string, headers and size-bounded JSON body into a typed
// input, running the operation in the request's audit context, writing the
// output, refusing a wrong method, and sending every error through the
// service's own renderer, so each keeps its exact error shape on the wire.
// It does not own authentication, validation of values or any error shape.
//
// An input's fields are bound by their `http` tag: `http:"query=name"`,
// `http:"header=Name"` or `http:"path=name"` (strings only, first value
// wins, as url.Values.Get and http.Header.Get read them); embedded structs
// are followed. Untagged fields are the JSON body, decoded strictly by
// DecodeJSON; an input with no body fields ignores the body, as restJson1
// does for operations without body members. Bound fields are set after the
// body is decoded, so a body cannot stand in for a header.
type REST struct {
	// Render writes err in the service's wire shape.
	Render func(w http.ResponseWriter, r *http.Request, err error)
	// MaxBody bounds the request body; 0 means MaxBody.
	MaxBody int64
	// Decoding, when set, restates an error met while reading the input
	// (SSO-OIDC models every such error as InvalidRequestException).
	Decoding func(error) error
}

// Handle adapts a typed operation to a's service. An operation that returns
// a nil output answers 200 with no body.
func Handle[I, O any](a *REST, fn func(context.Context, *I) (*O, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out, err := run(a, r, fn)
		if err != nil {
			a.Render(w, r, err)
			return
		}
		if out == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		WriteJSON(w, http.StatusOK, ContentTypeRESTJSON, out)
	})
}

func run[I, O any](a *REST, r *http.Request, fn func(context.Context, *I) (*O, error)) (*O, error) {
	in := new(I)
	if err := a.decode(r, reflect.ValueOf(in).Elem()); err != nil {
		if a.Decoding != nil {
			err = a.Decoding(err)
		}
		return nil, err
	}
	return fn(httpx.AuditContext(r), in)
}

// Mount registers h for method on path, and for any other method on path
// a refusal in the service's shape naming the one allowed.
func (a *REST) Mount(mux *http.ServeMux, method, path string, h http.Handler) {
	mux.Handle(method+" "+path, h)
	mux.Handle(path, a.wrongMethod(method))
}

func (a *REST) wrongMethod(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		a.Render(w, r, errs.E(errs.Invalid, "%s %s is not supported; use %s", r.Method, r.URL.Path, allow))
	})
}

// restBinding is one input field bound to part of the request.
type restBinding struct {
	index []int
	where string // "query", "header" or "path"
	name  string
}

// restShape lists t's bound fields and reports whether it has body fields.
func restShape(t reflect.Type) ([]restBinding, bool) {
	var bound []restBinding
	body := false
	for _, f := range reflect.VisibleFields(t) {
		if f.Anonymous || !f.IsExported() {
			continue
		}
		where, name, ok := strings.Cut(f.Tag.Get("http"), "=")
		if !ok {
			body = true
			continue
		}
		bound = append(bound, restBinding{index: f.Index, where: where, name: name})
	}
	return bound, body
}

func (a *REST) decode(r *http.Request, in reflect.Value) error {
	bound, hasBody := restShape(in.Type())
	if hasBody {
		if err := a.decodeBody(r, in); err != nil {
			return err
		}
	}
	if len(r.URL.RawQuery) > MaxBody {
		return errs.E(errs.Invalid, "the query string exceeds %d bytes", MaxBody)
	}
	query := r.URL.Query()
	for _, b := range bound {
		f := in.FieldByIndex(b.index)
		v, ok := boundValue(r, query, b)
		if !ok || f.Kind() != reflect.String {
			return errs.E(errs.Internal, "protocol: %s binds a %s field to %q", in.Type(), f.Type(), b.where+"="+b.name)
		}
		f.SetString(v)
	}
	return nil
}

// boundValue reads one bound value; it reports false for an unknown
// location. Header values are bounded by the server's header limit, query
// values by the check in decode.
func boundValue(r *http.Request, query url.Values, b restBinding) (string, bool) {
	switch b.where {
	case "query":
		return query.Get(b.name), true
	case "header":
		return r.Header.Get(b.name), true
	case "path":
		return r.PathValue(b.name), true
	}
	return "", false
}

func (a *REST) decodeBody(r *http.Request, in reflect.Value) error {
	max := a.MaxBody
	if max == 0 {
		max = MaxBody
	}
	body, err := ReadBody(r, max)
	if err != nil {
		return err
	}
	return DecodeJSON(body, in.Addr().Interface())
}
