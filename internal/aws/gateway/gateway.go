// Package gateway fronts every SigV4-signed AWS API keyward serves on
// "POST /": awsJson1_1 services chosen by X-Amz-Target, and awsQuery
// services (STS, IAM) chosen by the signing name in the credential scope,
// then by the form's Action. The awsQuery actions a service lists as
// presignable are also served as presigned URLs (GET or POST with the
// parameters and signature in the query string), and those it lists as
// unsigned are served without a signature. For each request it bounds
// the body, verifies the signature, checks the credential scope's service,
// authorizes the caller, decodes the input and renders any error in the
// service's own wire shape (its codes, and for awsQuery its XML namespace).
// Services only supply operations; the gateway owns no service's semantics.
package gateway

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/aws/protocol"
	"github.com/keyward/keyward/internal/aws/sigv4"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/httpx"
)

// Operation runs one awsJson operation on the raw (bounded) body. It calls
// authorize with the decoded input before doing anything.
type Operation func(ctx context.Context, body []byte, authorize func(input any) error) (any, error)

// Op adapts a typed operation: the body is decoded into a fresh *I, which
// is authorized before fn runs.
func Op[I, O any](fn func(context.Context, *I) (*O, error)) Operation {
	return func(ctx context.Context, body []byte, authorize func(any) error) (any, error) {
		in := new(I)
		if err := protocol.DecodeJSON(body, in); err != nil {
			return nil, err
		}
		if err := checkThenAuthorize(in, authorize); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}

// Request is what an Authorizer decides on: IAM's name for the action
// ("service:Operation") and the ARN of the resource it acts on.
type Request struct {
	Action   string
	Resource string // "*" when the operation names no single resource
	Input    any    // the decoded input, for request condition keys
}

// Resourcer is implemented by the input of an operation on one resource:
// the resource's ARN, in the caller's account where the ARN names one, or
// "" when the operation acts on the caller itself (IAM's GetUser with no
// user name).
type Resourcer interface {
	ResourceARN(account string) string
}

// Validator is implemented by inputs whose shape is checked before the
// caller is authorized, as AWS's front end answers a malformed request
// with a validation error whoever sends it.
type Validator interface {
	Validate() error
}

// checkThenAuthorize validates in if it can, then authorizes it.
func checkThenAuthorize(in any, authorize func(any) error) error {
	if v, ok := in.(Validator); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return authorize(in)
}

// Authorizer decides whether a verified caller may make a request.
type Authorizer func(ctx context.Context, p awsauth.Principal, req Request) error

// JSONService is an awsJson1_1 service.
type JSONService struct {
	TargetPrefix string // e.g. "SWBExternalService"
	SigningName  string // e.g. "sso"
	Codes        protocol.Codes
	Authorize    Authorizer
	Operations   map[string]Operation
	// Word, if set, words the store's neutral errors for this service's
	// wire (protocol.WordStoreError, or the service's own).
	Word func(error) error
}

// QueryAction runs one awsQuery action on the decoded form parameters. It
// calls authorize with the decoded input before doing anything.
type QueryAction func(ctx context.Context, params map[string]string, authorize func(input any) error) (any, error)

// QueryOp adapts a typed awsQuery action: the form parameters are decoded
// into a fresh *I by protocol.DecodeQuery (lists, maps and nested members
// included), which is authorized before fn runs; Action and Version are
// the gateway's and never reach I.
func QueryOp[I, O any](fn func(context.Context, *I) (*O, error)) QueryAction {
	return func(ctx context.Context, params map[string]string, authorize func(any) error) (any, error) {
		in := new(I)
		if err := protocol.DecodeQuery(params, in); err != nil {
			return nil, err
		}
		if err := checkThenAuthorize(in, authorize); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}

// QueryService is an awsQuery service. Services sharing the protocol differ
// in signing name, version, XML namespace and error codes (STS and IAM do).
type QueryService struct {
	SigningName string // the credential scope's service, e.g. "sts"
	Version     string
	Namespace   string // e.g. "https://sts.amazonaws.com/doc/2011-06-15/"
	Codes       protocol.Codes
	Authorize   Authorizer
	Actions     map[string]QueryAction
	// Presignable names the actions a presigned URL may call. AWS tools
	// prove an identity by handing over a presigned GetCallerIdentity;
	// nothing else needs one, so nothing else accepts one.
	Presignable map[string]bool
	// Unsigned names the actions that may arrive with no signature
	// (AssumeRoleWithSAML and AssumeRoleWithWebIdentity: the CLI sends them
	// unsigned). An unsigned request reaches the action with no principal
	// in its context; a signed one is verified as usual. Either way the
	// gateway's Authorize is not asked: the action authorizes itself.
	Unsigned map[string]bool
}

// Events records denials in the system log.
type Events interface {
	AppendEvent(ctx context.Context, e audit.Event) error
}

// Gateway dispatches signed API requests.
type Gateway struct {
	verifier *sigv4.Verifier
	events   Events
	json     map[string]*JSONService
	query    map[string]*QueryService // by signing name
	// fallback answers awsQuery requests whose scope names no registered
	// service: unsigned ones, malformed ones and those scoped elsewhere.
	fallback *QueryService
}

// New returns a gateway verifying with v and logging denials to events.
func New(v *sigv4.Verifier, events Events) *Gateway {
	return &Gateway{verifier: v, events: events, json: map[string]*JSONService{}, query: map[string]*QueryService{}}
}

// AddJSON registers an awsJson service.
func (g *Gateway) AddJSON(s *JSONService) { g.json[s.TargetPrefix] = s }

// AddQuery registers an awsQuery service under its signing name; a request
// reaches it when its credential scope names that service. The first one
// added also answers (and refuses, in its own shape) every awsQuery request
// whose scope names no registered service, so register STS first: unsigned
// requests then fail as they would on STS.
func (g *Gateway) AddQuery(s *QueryService) {
	g.query[s.SigningName] = s
	if g.fallback == nil {
		g.fallback = s
	}
}

// ServeHTTP handles POST / for every registered service, and a presigned
// GET for the awsQuery services; it refuses any other method in the error
// shape of the protocol the request speaks.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	switch {
	case r.Method == http.MethodGet && target == "" && sigv4.IsPresigned(r):
		g.serveQuery(w, r)
	case r.Method != http.MethodPost:
		g.refuseMethod(w, r, target)
	case target != "":
		g.serveJSON(w, r, target)
	default:
		g.serveQuery(w, r)
	}
}

func (g *Gateway) refuseMethod(w http.ResponseWriter, r *http.Request, target string) {
	w.Header().Set("Allow", http.MethodPost)
	fail := errs.E(errs.Invalid, "%s requests are not supported; send API requests as POST /", r.Method)
	if target != "" || g.fallback == nil {
		protocol.WriteJSONError(w, r, protocol.JSONCodes, protocol.ContentTypeAWSJSON, fail.WithCode("UnknownOperationException"))
		return
	}
	q := g.queryService(r)
	protocol.WriteQueryError(w, r, q.Codes, q.Namespace, fail.WithCode("InvalidAction"))
}

// IsAPIRequest reports whether a request to / is an API call rather than a
// browser visit: it is signed, names an X-Amz-Target, or carries an Action.
func IsAPIRequest(r *http.Request) bool {
	q := r.URL.Query()
	return r.Header.Get("Authorization") != "" || r.Header.Get("X-Amz-Target") != "" ||
		q.Has("Action") || q.Has("X-Amz-Signature")
}

func (g *Gateway) serveJSON(w http.ResponseWriter, r *http.Request, target string) {
	prefix, opName, _ := strings.Cut(target, ".")
	svc, ok := g.json[prefix]
	if !ok {
		fail := errs.E(errs.Invalid, "unknown service target %.64q", prefix).WithCode("UnknownOperationException")
		protocol.WriteJSONError(w, r, protocol.JSONCodes, protocol.ContentTypeAWSJSON, fail)
		return
	}
	out, err := g.runJSON(r, svc, opName)
	if err != nil {
		if svc.Word != nil {
			err = svc.Word(err)
		}
		protocol.WriteJSONError(w, r, svc.Codes, protocol.ContentTypeAWSJSON, err)
		return
	}
	protocol.WriteJSON(w, http.StatusOK, protocol.ContentTypeAWSJSON, out)
}

func (g *Gateway) runJSON(r *http.Request, svc *JSONService, opName string) (any, error) {
	body, err := protocol.ReadBody(r, protocol.MaxBody)
	if err != nil {
		return nil, err
	}
	ctx, err := g.authenticate(r, body, svc.SigningName, false)
	if err != nil {
		return nil, err
	}
	op, ok := svc.Operations[opName]
	if !ok {
		return nil, errs.E(errs.Invalid, "operation %.64q is not supported", opName).WithCode("UnknownOperationException")
	}
	return op(ctx, body, g.authorizer(ctx, svc.Authorize, svc.SigningName+":"+opName))
}

func (g *Gateway) serveQuery(w http.ResponseWriter, r *http.Request) {
	if g.fallback == nil {
		fail := errs.E(errs.Invalid, "requests to / need an X-Amz-Target header").WithCode("UnknownOperationException")
		protocol.WriteJSONError(w, r, protocol.JSONCodes, protocol.ContentTypeAWSJSON, fail)
		return
	}
	q := g.queryService(r)
	action, out, err := g.runQuery(r, q)
	if err != nil {
		protocol.WriteQueryError(w, r, q.Codes, q.Namespace, err)
		return
	}
	protocol.WriteQueryResult(w, r, q.Namespace, action, out)
}

func (g *Gateway) runQuery(r *http.Request, q *QueryService) (string, any, error) {
	presigned := sigv4.IsPresigned(r)
	params, body, err := queryParams(r, presigned)
	if err != nil {
		return "", nil, queryError(err)
	}
	action := params["Action"]
	run, ok := q.Actions[action]
	if !ok {
		return "", nil, errs.E(errs.Invalid, "Could not find operation %.64q for version %s", action, q.Version).WithCode("InvalidAction")
	}
	if v := params["Version"]; v != q.Version {
		return "", nil, errs.E(errs.Invalid, "Version %.32q is not supported; use %s", v, q.Version).WithCode("InvalidAction")
	}
	if presigned && !q.Presignable[action] {
		return "", nil, queryError(errs.E(errs.Invalid, "%s does not accept a presigned (query-string) signature; sign the request with an Authorization header.", action).
			WithCode(sigv4.CodeIncompleteSignature))
	}
	if q.Unsigned[action] {
		out, err := g.runUnsigned(r, body, q, run, params, presigned)
		return action, out, err
	}
	ctx, err := g.authenticate(r, body, q.SigningName, presigned)
	if err != nil {
		return "", nil, queryError(err)
	}
	out, err := run(ctx, params, g.authorizer(ctx, q.Authorize, q.SigningName+":"+action))
	return action, out, err
}

// queryService picks the awsQuery service named by r's credential scope,
// or the fallback when the scope names none of them (or cannot be read: the
// verifier then refuses the request in the fallback's shape).
func (g *Gateway) queryService(r *http.Request) *QueryService {
	if q, ok := g.query[scopeService(r)]; ok {
		return q
	}
	return g.fallback
}

// wrongScope refuses a request whose scope does not name service. The
// fallback awsQuery service also gets requests scoped to unknown services,
// so its refusal names every awsQuery service the gateway serves.
func (g *Gateway) wrongScope(service string) error {
	names := []string{service}
	if g.fallback != nil && g.fallback.SigningName == service {
		names = make([]string, 0, len(g.query))
		for name := range g.query {
			names = append(names, name)
		}
		sort.Strings(names)
	}
	return errs.E(errs.Unauthenticated, "Credential should be scoped to correct service: '%s'.",
		strings.Join(names, "' or '")).WithCode("InvalidSignatureException")
}

// scopeService returns the service named in r's credential scope, from the
// Authorization header or, for a presigned request, the query string; ""
// when there is none or it does not parse. It only routes: the verifier
// checks the signature over this same scope.
func scopeService(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		a, err := sigv4.ParseAuthorization(h)
		if err != nil {
			return ""
		}
		return a.Service
	}
	if !sigv4.IsPresigned(r) {
		return ""
	}
	p, err := sigv4.ParsePresigned(r.URL.RawQuery)
	if err != nil {
		return ""
	}
	return p.Service
}

// queryParams returns an awsQuery request's parameters and its body: the
// form in the body, or for a presigned request the query string (its body
// must then be empty, as the presigners send it).
func queryParams(r *http.Request, presigned bool) (map[string]string, []byte, error) {
	if !presigned {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			return nil, nil, errs.E(errs.Invalid, "Content-Type must be application/x-www-form-urlencoded, not %.64q", ct).WithCode("InvalidAction")
		}
	}
	body, err := protocol.ReadBody(r, protocol.MaxBody)
	if err != nil {
		return nil, nil, err
	}
	if !presigned {
		params, err := protocol.DecodeForm(body)
		return params, body, err
	}
	if len(body) > 0 {
		return nil, nil, errs.E(errs.Invalid, "A presigned request carries its parameters in the query string; send it with no body.").WithCode("InvalidAction")
	}
	if len(r.URL.RawQuery) > protocol.MaxBody {
		return nil, nil, errs.E(errs.Invalid, "the query string exceeds %d bytes", protocol.MaxBody).WithCode("MalformedQueryString")
	}
	params, err := protocol.DecodeForm([]byte(r.URL.RawQuery))
	return params, body, err
}

// queryError renames the JSON-family SigV4 codes of an authentication
// failure to their awsQuery names. An action's own errors keep their codes
// (AssumeRoleWithSAML's ExpiredTokenException is modeled as such).
func queryError(err error) error {
	if e, ok := errs.As(err); ok && e.Code != "" && (e.Code != sigv4.CodeExpiredToken || e.Kind == errs.Unauthenticated) {
		if q := sigv4.QueryCode(e.Code); q != e.Code {
			return e.WithCode(q)
		}
	}
	return err
}

// authenticate checks the scope's service and verifies the signature (in
// the query string when presigned, which the caller has allowed for the
// action), and returns a context carrying the principal and audit actor.
// The scope is checked first: the verifier reports every good signature as
// a use of its key (IAM's GetAccessKeyLastUsed), and a request scoped to
// another service is refused, so it must not count as one.
func (g *Gateway) authenticate(r *http.Request, body []byte, service string, presigned bool) (context.Context, error) {
	if s := scopeService(r); s != "" && s != service {
		return nil, g.wrongScope(service)
	}
	verify := g.verifier.Verify
	if presigned {
		verify = g.verifier.VerifyPresigned
	}
	res, err := verify(r, body)
	if err != nil {
		return nil, err
	}
	if res.Service != service {
		return nil, g.wrongScope(service)
	}
	p, _ := res.Principal.(awsauth.Principal)
	ctx := awsauth.WithPrincipal(httpx.AuditContext(r), p)
	return audit.WithActor(ctx, audit.Actor{Type: p.Type, ID: p.UserID, Name: p.ARN}), nil
}

// authorizer returns the check an operation makes on its decoded input:
// authorize (nil allows everything) decides on the action (IAM's name for
// the operation, e.g. sso:CreatePermissionSet) and the resource the input
// names, and a refusal is logged.
func (g *Gateway) authorizer(ctx context.Context, authorize Authorizer, action string) func(any) error {
	return func(in any) error {
		if authorize == nil {
			return nil
		}
		p, _ := awsauth.PrincipalFrom(ctx)
		req := Request{Action: action, Resource: "*", Input: in}
		if r, ok := in.(Resourcer); ok {
			if req.Resource = r.ResourceARN(p.AccountID); req.Resource == "" {
				req.Resource = p.ARN
			}
		}
		if err := authorize(ctx, p, req); err != nil {
			g.deny(ctx, req, err)
			return err
		}
		return nil
	}
}

// deny writes an authorization refusal to the system log. A failure to log
// does not change the answer: the request is refused either way.
func (g *Gateway) deny(ctx context.Context, req Request, err error) {
	e := audit.New(ctx, "aws.request.deny", "operation", req.Action)
	e.Outcome, e.Message = audit.Deny, err.Error()
	if req.Resource != "*" {
		e.Detail = map[string]string{"resource": req.Resource}
	}
	_ = g.events.AppendEvent(ctx, e)
}

// ManagementRootOnly allows only the management account's root user: the
// one identity with administrative rights until IAM policies arrive.
func ManagementRootOnly(managementAccountID string) Authorizer {
	return func(_ context.Context, p awsauth.Principal, req Request) error {
		if p.Type == awsauth.Root && p.AccountID == managementAccountID {
			return nil
		}
		return errs.E(errs.Denied, "User: %s is not authorized to perform: %s", p.ARN, req.Action).WithCode("AccessDeniedException")
	}
}
