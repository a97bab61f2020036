package protocol

import (
	"encoding/json"
	"net/http"
)

// JSON content types of the two JSON protocols.
const (
	ContentTypeAWSJSON  = "application/x-amz-json-1.1"
	ContentTypeRESTJSON = "application/json"
)

// WriteJSON writes v as a JSON response.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte("{}")
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// jsonError is the error body both JSON protocols accept: every SDK finds
// the code in __type (or the header) and the message in Message.
type jsonError struct {
	Type         string `json:"__type"`
	Message      string `json:"Message"`
	Reason       string `json:"Reason,omitempty"`
	ResourceType string `json:"ResourceType,omitempty"`
	ResourceID   string `json:"ResourceId,omitempty"`
	RequestID    string `json:"RequestId,omitempty"`
}

// WriteJSONError renders err for an awsJson1_1 or restJson1 client:
// X-Amzn-ErrorType and a body with __type and Message.
func WriteJSONError(w http.ResponseWriter, r *http.Request, c Codes, contentType string, err error) {
	p := c.Resolve(r, err)
	body := jsonError{Type: p.Code, Message: p.Message, RequestID: RequestID(r.Context())}
	if p.Err != nil {
		body.Reason, body.ResourceType, body.ResourceID = p.Err.Reason, p.Err.ResourceType, p.Err.ResourceID
	}
	w.Header().Set("X-Amzn-ErrorType", p.Code)
	WriteJSON(w, p.Status, contentType, body)
}
