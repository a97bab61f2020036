package protocol

import (
	"encoding/xml"
	"net/http"
	"net/url"

	"github.com/keyward/keyward/internal/errs"
)

// QueryCodes are the awsQuery (STS) defaults.
var QueryCodes = Codes{
	ByKind: map[errs.Kind]string{
		errs.Invalid:         "ValidationError",
		errs.NotFound:        "NoSuchEntity",
		errs.Conflict:        "EntityAlreadyExists",
		errs.Unauthenticated: "InvalidClientTokenId",
		errs.Denied:          "AccessDenied",
		errs.Throttled:       "Throttling",
		errs.Internal:        "InternalFailure",
	},
	Status: map[errs.Kind]int{
		errs.Unauthenticated: http.StatusForbidden,
		errs.Denied:          http.StatusForbidden,
		errs.NotFound:        http.StatusNotFound,
		errs.Conflict:        http.StatusConflict,
		errs.Internal:        http.StatusInternalServerError,
	},
	ByCode: map[string]int{
		"ExpiredToken":        http.StatusBadRequest,
		"IncompleteSignature": http.StatusBadRequest,
		"InvalidAction":       http.StatusBadRequest,
	},
	Fallback: "InternalFailure",
}

// QueryNamespace is STS's XML namespace.
const QueryNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type queryError struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// WriteQueryError renders err as an awsQuery ErrorResponse.
func WriteQueryError(w http.ResponseWriter, r *http.Request, c Codes, namespace string, err error) {
	p := c.Resolve(r, err)
	typ := "Sender"
	if p.Status >= 500 {
		typ = "Receiver"
	}
	writeXML(w, p.Status, queryError{Xmlns: namespace, Type: typ, Code: p.Code, Message: p.Message, RequestID: RequestID(r.Context())})
}

// QueryResponse is the awsQuery success envelope; callers embed the result
// type as Result with an xml name "<Action>Result".
type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// WriteQueryResult writes <ActionResponse xmlns=...><ActionResult>result
// </ActionResult><ResponseMetadata/></ActionResponse>.
func WriteQueryResult(w http.ResponseWriter, r *http.Request, namespace, action string, result any) {
	type envelope struct {
		XMLName  xml.Name
		Xmlns    string `xml:"xmlns,attr"`
		Result   any
		Metadata responseMetadata `xml:"ResponseMetadata"`
	}
	env := envelope{
		XMLName:  xml.Name{Local: action + "Response"},
		Xmlns:    namespace,
		Result:   wrapped{name: action + "Result", v: result},
		Metadata: responseMetadata{RequestID: RequestID(r.Context())},
	}
	writeXML(w, http.StatusOK, env)
}

// wrapped renders v inside an element called name.
type wrapped struct {
	name string
	v    any
}

func (x wrapped) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	return e.EncodeElement(x.v, xml.StartElement{Name: xml.Name{Local: x.name}})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, nil
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}

// MaxFormKeys bounds the number of parameters in an awsQuery form.
const MaxFormKeys = 512

// DecodeForm parses an application/x-www-form-urlencoded body. Malformed
// escapes, too many parameters and repeated parameters are client errors.
func DecodeForm(body []byte) (map[string]string, error) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errs.E(errs.Invalid, "the request body is not a valid form: %v", err).WithCode("MalformedQueryString")
	}
	if len(vals) > MaxFormKeys {
		return nil, errs.E(errs.Invalid, "the request has more than %d parameters", MaxFormKeys).WithCode("MalformedQueryString")
	}
	out := make(map[string]string, len(vals))
	for k, v := range vals {
		if len(v) > 1 {
			return nil, errs.E(errs.Invalid, "parameter %s appears more than once", k).WithCode("MalformedQueryString")
		}
		out[k] = v[0]
	}
	return out, nil
}
