package sts

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"

	"github.com/keyward/keyward/internal/aws/awsauth"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/keys"
)

// AuthorizationMessage is what an encoded authorization message says, in
// the shape of AWS's decoded message: whether the request was allowed,
// whether an explicit deny decided it, the statements that matched, and
// the request's context (principal, action, resource, condition keys).
type AuthorizationMessage struct {
	Allowed           bool            `json:"allowed"`
	ExplicitDeny      bool            `json:"explicitDeny"`
	MatchedStatements List[Statement] `json:"matchedStatements"`
	Failures          List[string]    `json:"failures"`
	Context           MessageContext  `json:"context"`
}

type List[T any] struct {
	Items []T `json:"items"`
}

// Statement names a policy statement that matched the request.
type Statement struct {
	StatementID string `json:"statementId,omitempty"`
	Effect      string `json:"effect"`
	Policy      string `json:"policy,omitempty"` // the policy's ARN or name, and its kind
}

// MessageContext is the request an authorization message is about.
type MessageContext struct {
	Principal  MessagePrincipal       `json:"principal"`
	Action     string                 `json:"action"`
	Resource   string                 `json:"resource"`
	Conditions List[MessageCondition] `json:"conditions"`
}

// MessagePrincipal is the caller.
type MessagePrincipal struct {
	ID  string `json:"id"`
	ARN string `json:"arn"`
}

// MessageCondition is one condition key of the request and its values.
type MessageCondition struct {
	Key    string               `json:"key"`
	Values List[ConditionValue] `json:"values"`
}

// ConditionValue is one value of a condition key.
type ConditionValue struct {
	Value string `json:"value"`
}

// MessageConditions lists a request's condition keys for MessageContext.
func MessageConditions(c ...MessageCondition) List[MessageCondition] {
	return List[MessageCondition]{Items: c}
}

// Condition returns a MessageCondition for key and values.
func Condition(key string, values ...string) MessageCondition {
	c := MessageCondition{Key: key}
	for _, v := range values {
		c.Values.Items = append(c.Values.Items, ConditionValue{v})
	}
	return c
}

// maxEncodedMessage bounds DecodeAuthorizationMessage's input (STS's model).
const maxEncodedMessage = 10240

// Messages seals authorization messages so that only principals of the
// account they are about can read them back (DecodeAuthorizationMessage).
type Messages struct{ sealer *keys.Sealer }

// NewMessages derives the messages' key from the master key.
func NewMessages(master []byte, random io.Reader) (*Messages, error) {
	s, err := keys.NewSealer(master, "sts authorization message", random)
	if err != nil {
		return nil, err
	}
	return &Messages{sealer: s}, nil
}

// Encode seals m for the account of its principal; denials may append the
// result to their message ("Encoded authorization failure message: …").
func (m *Messages) Encode(accountID string, msg AuthorizationMessage) string {
	b, _ := json.Marshal(msg) // plain data: cannot fail
	return base64.RawURLEncoding.EncodeToString(m.sealer.Seal(b, []byte(accountID)))
}

// decode opens an encoded message for a caller of accountID.
func (m *Messages) decode(accountID, encoded string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return "", invalidMessage()
	}
	plain, err := m.sealer.Open(raw, []byte(accountID))
	if err != nil {
		return "", invalidMessage()
	}
	return string(plain), nil
}

func invalidMessage() error {
	return errs.E(errs.Invalid, "The message is not a valid encoded authorization message, or it is not about this account.").
		WithCode("InvalidAuthorizationMessageException")
}

// WithMessages returns s decoding authorization messages sealed by m.
func (s *Service) WithMessages(m *Messages) *Service {
	s.messages = m
	return s
}

type decodeAuthorizationMessageInput struct {
	EncodedMessage string
}

// Validate checks the message's length against STS's model.
func (in *decodeAuthorizationMessageInput) Validate() error {
	if in.EncodedMessage == "" || len(in.EncodedMessage) > maxEncodedMessage {
		return errs.E(errs.Invalid, "1 validation error detected: Value at 'encodedMessage' failed to satisfy constraint: Member must have length between 1 and 10240").
			WithCode("ValidationError")
	}
	return nil
}

type decodeAuthorizationMessageOutput struct {
	DecodedMessage string
}

// decodeAuthorizationMessage reads back a message keyward encoded, for a
// caller allowed sts:DecodeAuthorizationMessage in the message's account.
func (s *Service) decodeAuthorizationMessage(ctx context.Context, in *decodeAuthorizationMessageInput) (*decodeAuthorizationMessageOutput, error) {
	caller, _ := awsauth.PrincipalFrom(ctx)
	if s.messages == nil {
		return nil, invalidMessage()
	}
	msg, err := s.messages.decode(caller.AccountID, in.EncodedMessage)
	if err != nil {
		return nil, err
	}
	return &decodeAuthorizationMessageOutput{DecodedMessage: msg}, nil
}
