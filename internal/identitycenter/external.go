package identitycenter

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/keyward/keyward/internal/errs"
)

// The identity store model's ExternalId limits (ExternalIdIssuer,
// ExternalIdIdentifier, ExternalIds). Their patterns are UserName's
// characters; an issuer must not begin with arn: or aws:, which AWS keeps
// for itself.
const (
	MaxExternalIDs    = 10
	maxIssuerLen      = 100
	maxExternalIDLen  = 256
	externalIDPattern = `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`
	issuerPattern     = `(?!(?i)(arn|aws):)` + externalIDPattern
)

var reservedIssuer = regexp.MustCompile(`^(?i)(arn|aws):`)

// ValidateExternalIDs checks the external ids of a user or group, field
// naming the list in a refusal.
func ValidateExternalIDs(field string, xs []ExternalID) error {
	if len(xs) > MaxExternalIDs {
		return constraint(field, fmt.Sprintf("Member must have length less than or equal to %d", MaxExternalIDs))
	}
	for i, x := range xs {
		if err := ValidateExternalID(fmt.Sprintf("%s.%d.member", field, i+1), x); err != nil {
			return err
		}
	}
	return nil
}

// ValidateExternalID checks one external id (field names it in a refusal)
// in the identity store's words: a ValidationException naming the member
// but, as the values are sensitive, not the value.
func ValidateExternalID(field string, x ExternalID) error {
	if err := checkMember(field+".issuer", x.Issuer, maxIssuerLen, issuerPattern); err != nil {
		return err
	}
	if reservedIssuer.MatchString(x.Issuer) {
		return constraint(field+".issuer", "Member must satisfy regular expression pattern: "+issuerPattern)
	}
	return checkMember(field+".id", x.ID, maxExternalIDLen, externalIDPattern)
}

// checkMember checks value's length (1 to max characters) and characters
// (UserName's: letters, marks, symbols, numbers, punctuation).
func checkMember(field, value string, max int, pattern string) error {
	switch n := utf8.RuneCountInString(value); {
	case n == 0:
		return constraint(field, "Member must have length greater than or equal to 1")
	case n > max:
		return constraint(field, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
	if !utf8.ValidString(value) || !userNameRe.MatchString(value) {
		return constraint(field, "Member must satisfy regular expression pattern: "+pattern)
	}
	return nil
}

func constraint(field, rule string) error {
	return errs.E(errs.Invalid, "1 validation error detected: Value at '%s' failed to satisfy constraint: %s", field, rule)
}
