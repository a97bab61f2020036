package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Document is a parsed policy document.
type Document struct {
	Version   string
	ID        string
	Statement []Statement
}

// Statement is one policy statement. Action, Resource and their Not forms
// are normalized to lists. Principal and NotPrincipal are set only in
// resource-based policies (a role's trust policy): principal type ("AWS",
// "Federated", "Service", "CanonicalUser") to values; "Principal": "*" is
// {"*": ["*"]}.
type Statement struct {
	Sid          string
	Effect       string
	Principal    map[string][]string
	NotPrincipal map[string][]string
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    map[string]map[string][]string
}

// Which statements a document kind allows.
type docKind int

const (
	identityDoc docKind = iota // no Principal; Resource required
	resourceDoc                // Principal or NotPrincipal required
	trustDoc                   // a resource policy with no Resource
)

// PolicyError explains why a document is malformed.
type PolicyError struct{ Reason string }

func (e *PolicyError) Error() string { return "The policy document is malformed: " + e.Reason }

func malformed(format string, args ...any) error {
	return &PolicyError{Reason: fmt.Sprintf(format, args...)}
}

var (
	actionRe = regexp.MustCompile(`^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$`)
	sidRe    = regexp.MustCompile(`^[a-zA-Z0-9]*$`)
)

// ParseIdentityPolicy parses and validates an identity-based policy (one
// attached to a user, role or permission set): no Principal, and every
// statement names actions and resources.
func ParseIdentityPolicy(doc []byte) (Document, error) { return parseDocument(doc, identityDoc) }

// ParseTrustPolicy parses and validates a role's trust policy (IAM's
// AssumeRolePolicyDocument): a resource-based policy whose statements name
// a Principal or NotPrincipal and no Resource (the role is the resource).
func ParseTrustPolicy(doc []byte) (Document, error) { return parseDocument(doc, trustDoc) }

// ParseResourcePolicy parses and validates a resource-based policy: every
// statement names a Principal or NotPrincipal, and a Resource or NotResource.
func ParseResourcePolicy(doc []byte) (Document, error) { return parseDocument(doc, resourceDoc) }

func parseDocument(doc []byte, kind docKind) (Document, error) {
	if len(doc) > MaxDocumentBytes {
		return Document{}, malformed("the document is larger than %d bytes", MaxDocumentBytes)
	}
	if err := uniqueKeys(doc); err != nil {
		return Document{}, err
	}
	var raw struct {
		Version   json.RawMessage `json:"Version"`
		ID        string          `json:"Id"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := strictDecode(doc, &raw); err != nil {
		return Document{}, err
	}
	version, err := parseVersion(raw.Version)
	if err != nil {
		return Document{}, err
	}
	stmts, err := parseStatements(raw.Statement, kind)
	if err != nil {
		return Document{}, err
	}
	return Document{Version: version, ID: raw.ID, Statement: stmts}, nil
}

// parseVersion reads the Version element. AWS accepts a document without
// one as the 2008-10-17 language (no policy variables); a Version given
// must be one of the two.
func parseVersion(raw json.RawMessage) (string, error) {
	if raw == nil {
		return "2008-10-17", nil
	}
	var v string
	if json.Unmarshal(raw, &v) != nil || (v != "2012-10-17" && v != "2008-10-17") {
		return "", malformed("Version must be 2012-10-17 or 2008-10-17")
	}
	return v, nil
}

func parseStatements(raw json.RawMessage, kind docKind) ([]Statement, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, malformed("Statement is required")
	}
	var list []json.RawMessage
	if raw[0] == '{' {
		list = []json.RawMessage{raw}
	} else if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, malformed("Statement must be an object or a non-empty list of objects")
	}
	out := make([]Statement, 0, len(list))
	sids := map[string]bool{}
	for i, r := range list {
		s, err := parseStatement(r, kind)
		if err != nil {
			return nil, malformed("statement %d: %s", i+1, err.(*PolicyError).Reason)
		}
		if s.Sid != "" && sids[s.Sid] {
			return nil, malformed("Statement IDs (SID) in a single policy must be unique.")
		}
		sids[s.Sid] = true
		out = append(out, s)
	}
	return out, nil
}

type rawStatement struct {
	Sid          string                                `json:"Sid"`
	Effect       string                                `json:"Effect"`
	Action       stringList                            `json:"Action"`
	NotAction    stringList                            `json:"NotAction"`
	Resource     stringList                            `json:"Resource"`
	NotResource  stringList                            `json:"NotResource"`
	Condition    map[string]map[string]json.RawMessage `json:"Condition"`
	Principal    json.RawMessage                       `json:"Principal"`
	NotPrincipal json.RawMessage                       `json:"NotPrincipal"`
}

func parseStatement(b json.RawMessage, kind docKind) (Statement, error) {
	var r rawStatement
	if err := strictDecode(b, &r); err != nil {
		return Statement{}, err
	}
	principal, notPrincipal, err := parsePrincipals(r, kind)
	if err != nil {
		return Statement{}, err
	}
	if r.Effect != "Allow" && r.Effect != "Deny" {
		return Statement{}, malformed("Effect must be Allow or Deny")
	}
	if !sidRe.MatchString(r.Sid) {
		return Statement{}, malformed("Sid must be letters and digits")
	}
	if (r.Action == nil) == (r.NotAction == nil) {
		return Statement{}, malformed("exactly one of Action and NotAction is required")
	}
	switch {
	case kind == trustDoc && (r.Resource != nil || r.NotResource != nil):
		return Statement{}, malformed("Has prohibited field Resource")
	case kind != trustDoc && (r.Resource == nil) == (r.NotResource == nil):
		return Statement{}, malformed("exactly one of Resource and NotResource is required")
	}
	for _, a := range append(append([]string{}, r.Action...), r.NotAction...) {
		if !actionRe.MatchString(a) {
			return Statement{}, malformed("action %q must be * or service:action", a)
		}
	}
	for _, res := range append(append([]string{}, r.Resource...), r.NotResource...) {
		if res != "*" && !strings.Contains(res, ":") {
			return Statement{}, malformed(`Resource %s must be in ARN format or "*".`, res)
		}
	}
	cond, err := parseCondition(r.Condition)
	if err != nil {
		return Statement{}, err
	}
	return Statement{Sid: r.Sid, Effect: r.Effect, Principal: principal, NotPrincipal: notPrincipal,
		Action: r.Action, NotAction: r.NotAction, Resource: r.Resource, NotResource: r.NotResource, Condition: cond}, nil
}

// parsePrincipals checks Principal and NotPrincipal against the document
// kind: identity policies have neither, resource policies exactly one.
func parsePrincipals(r rawStatement, kind docKind) (map[string][]string, map[string][]string, error) {
	if kind == identityDoc {
		if r.Principal != nil || r.NotPrincipal != nil {
			return nil, nil, malformed("Policy document should not specify a principal")
		}
		return nil, nil, nil
	}
	if (r.Principal == nil) == (r.NotPrincipal == nil) {
		return nil, nil, malformed("exactly one of Principal and NotPrincipal is required")
	}
	if r.Principal != nil {
		p, err := parsePrincipal(r.Principal)
		return p, nil, err
	}
	p, err := parsePrincipal(r.NotPrincipal)
	return nil, p, err
}

var principalTypes = map[string]bool{"AWS": true, "Federated": true, "Service": true, "CanonicalUser": true}

// parsePrincipal reads "*" or an object of principal type to a string or
// list of strings.
func parsePrincipal(raw json.RawMessage) (map[string][]string, error) {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return nil, malformed("Principal must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}")
		}
		return map[string][]string{"*": {"*"}}, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || len(obj) == 0 {
		return nil, malformed("Principal must be \"*\" or a non-empty object")
	}
	out := map[string][]string{}
	for typ, v := range obj {
		if !principalTypes[typ] {
			return nil, malformed("Invalid principal type %q: use AWS, Federated, Service or CanonicalUser", typ)
		}
		var vals stringList
		if err := vals.UnmarshalJSON(v); err != nil {
			return nil, malformed("Principal %s must be a string or a list of strings", typ)
		}
		for _, p := range vals {
			if strings.TrimSpace(p) == "" {
				return nil, malformed("Principal %s must not be empty", typ)
			}
		}
		out[typ] = vals
	}
	return out, nil
}

func parseCondition(in map[string]map[string]json.RawMessage) (map[string]map[string][]string, error) {
	if in == nil {
		return nil, nil
	}
	out := map[string]map[string][]string{}
	for op, keys := range in {
		if op == "" || len(keys) == 0 {
			return nil, malformed("condition operator %q needs at least one key", op)
		}
		if _, ok := parseOperator(op); !ok {
			return nil, malformed("Invalid Condition type : %s", op)
		}
		out[op] = map[string][]string{}
		for k, v := range keys {
			vals, err := jsonValues(v, true)
			if err != nil || strings.TrimSpace(k) == "" {
				return nil, malformed("condition %s %q must map to a string, number or boolean or a list of them", op, k)
			}
			out[op][k] = vals
		}
	}
	return out, nil
}

// stringList accepts a JSON string or a non-empty list of strings. A lone
// number or boolean is kept as the text it is written as.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	v, err := jsonValues(b, false)
	*l = v
	return err
}

// jsonValues reads a JSON string, number or boolean, or a non-empty list of
// strings; with scalarLists, of strings, numbers and booleans (condition
// values, which AWS's grammar allows to be any of them). A number is kept
// as the text it is written as: 111122223333, not 1.11122223333e+11.
func jsonValues(b []byte, scalarLists bool) (stringList, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var one any
	if err := dec.Decode(&one); err != nil {
		return nil, err
	}
	list, isList := one.([]any)
	if !isList {
		if s, ok := scalarText(one); ok {
			return stringList{s}, nil
		}
		return nil, malformed("expected a string or a list of strings")
	}
	if len(list) == 0 {
		return nil, malformed("a list must not be empty")
	}
	out := make(stringList, 0, len(list))
	for _, e := range list {
		s, ok := scalarText(e)
		if _, isString := e.(string); !ok || (!isString && !scalarLists) {
			return nil, malformed("list entries must be strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// scalarText is a decoded JSON string, number or boolean as text.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// strictDecode decodes one JSON object into the struct v points to,
// refusing unknown members, members named in another case than v's json
// tags (encoding/json would match them case-insensitively; AWS's element
// names are case-sensitive) and trailing data.
func strictDecode(b []byte, v any) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return malformed("expected a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if pe, ok := err.(*PolicyError); ok {
			return pe
		}
		return malformed("%v", err)
	}
	// dec.More is false before a stray "}" or "]": only EOF ends a document.
	if _, err := dec.Token(); err != io.EOF {
		return malformed("data after the policy document")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return malformed("%v", err)
	}
	t := reflect.TypeOf(v).Elem()
	for name := range members {
		if !hasJSONField(t, name) {
			return malformed("unknown element %q", name)
		}
	}
	return nil
}

// hasJSONField reports whether struct type t has a field whose json tag is
// exactly name.
func hasJSONField(t reflect.Type, name string) bool {
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return true
		}
	}
	return false
}

// uniqueKeys refuses a document in which an object names a key twice: AWS
// refuses them, and encoding/json would silently keep the last ("Effect":
// "Deny" then "Effect": "Allow" would allow). Invalid JSON passes here
// and is refused by the decoding that follows.
func uniqueKeys(doc []byte) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	type object struct {
		keys      map[string]bool
		expectKey bool
	}
	var stack []*object // nil entries are arrays
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &object{keys: map[string]bool{}, expectKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, nil)
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
			top = stack[len(stack)-1]
		default:
			if key, ok := tok.(string); ok && top != nil && top.expectKey {
				if top.keys[key] {
					return malformed("the key %q appears twice in one element", key)
				}
				top.keys[key], top.expectKey = true, false
				continue
			}
		}
		// A value ended: in an object, a key comes next.
		if top != nil {
			top.expectKey = true
		}
	}
}

// AWS's size quotas for policy documents, in characters not counting white
// space (see PolicySize). The parsers only enforce MaxDocumentBytes; the
// API that stores a document checks the quota of its kind with CheckSize.
const (
	MaxManagedPolicySize     = 6144  // a customer managed policy
	MaxRoleInlinePolicySize  = 10240 // all inline policies of a role together
	MaxUserInlinePolicySize  = 2048  // all inline policies of a user together
	MaxGroupInlinePolicySize = 5120  // all inline policies of a group together
	MaxTrustPolicySize       = 2048  // a role's trust policy, by default
	MaxSCPSize               = 5120  // a service control policy
	MaxSessionPolicySize     = 2048  // an inline session policy passed to STS
	// MaxDocumentBytes bounds any document the parsers read, white space
	// included: far above every quota, it only stops abuse.
	MaxDocumentBytes = 128 << 10
)

// SizeError reports a document over its quota; IAM's API answers it with
// LimitExceeded.
type SizeError struct{ Limit, Size int }

func (e *SizeError) Error() string {
	return fmt.Sprintf("Cannot exceed quota for PolicySize: %d", e.Limit)
}

// CheckSize returns a *SizeError when doc's PolicySize exceeds limit.
func CheckSize(doc []byte, limit int) error {
	if n := PolicySize(doc); n > limit {
		return &SizeError{Limit: limit, Size: n}
	}
	return nil
}

// PolicySize is a document's size as IAM counts it against its quotas:
// characters, without the white space between JSON tokens.
func PolicySize(doc []byte) int {
	n, inString, escaped := 0, false, false
	for _, r := range string(doc) {
		switch {
		case inString:
			inString = escaped || r != '"'
			escaped = !escaped && r == '\\'
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			continue
		case r == '"':
			inString = true
		}
		n++
	}
	return n
}
