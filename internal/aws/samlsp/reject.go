package samlsp

import (
	"github.com/keyward/keyward/internal/errs"
)

// Reason names why a response was refused. It is the errs.Error's Reason
// and the log event's "reason" detail.
type Reason string

// The reasons a response is refused.
const (
	ReasonNotExternal    Reason = "IdentitySourceNotExternal"
	ReasonMalformed      Reason = "Malformed"
	ReasonTooLarge       Reason = "TooLarge"
	ReasonDTD            Reason = "DocumentTypeDeclaration"
	ReasonAlgorithm      Reason = "AlgorithmRefused"
	ReasonAssertionCount Reason = "AssertionCount"
	ReasonDuplicateID    Reason = "DuplicateID"
	ReasonEncrypted      Reason = "EncryptedAssertion"
	ReasonSignature      Reason = "SignatureInvalid"
	ReasonIssuer         Reason = "IssuerMismatch"
	ReasonStatus         Reason = "StatusNotSuccess"
	ReasonDestination    Reason = "DestinationMismatch"
	ReasonRecipient      Reason = "RecipientMismatch"
	ReasonAudience       Reason = "AudienceMismatch"
	ReasonExpired        Reason = "Expired"
	ReasonNotYetValid    Reason = "NotYetValid"
	ReasonUnknownRequest Reason = "UnknownInResponseTo"
	ReasonReplay         Reason = "Replay"
	ReasonUnknownUser    Reason = "UnknownUser"
	ReasonDisabledUser   Reason = "DisabledUser"
)

// reject is the error for a refused response: kind and a message for the
// person who was signing in.
func reject(kind errs.Kind, r Reason, msg string) *errs.Error {
	return errs.E(kind, "%s", msg).WithReason(string(r))
}

// ReasonOf returns why err refused a response, or "" when err is not a
// refusal.
func ReasonOf(err error) Reason {
	if e, ok := errs.As(err); ok {
		return Reason(e.Reason)
	}
	return ""
}

// fix is the advice that ends a refusal the identity provider's settings
// cause.
func (p *party) fix() string {
	return " Ask your administrator to check the identity provider's settings for " + p.app + "."
}

func (p *party) malformed(detail string) *errs.Error {
	return reject(errs.Invalid, ReasonMalformed, "The sign-in response from your identity provider could not be read: "+detail+"."+p.fix())
}

func (p *party) badSignature() *errs.Error {
	return reject(errs.Unauthenticated, ReasonSignature, "The sign-in response is not signed by your identity provider: "+
		"its signature does not verify with the identity provider's certificate that "+p.product+" holds."+p.fix())
}
