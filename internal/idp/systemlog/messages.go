package systemlog

import "strings"

// displayMessages are the human sentences of the event types keyward's
// identity provider writes, worded as Okta words them where that is known
// (okta-api.md §9).
var displayMessages = map[string]string{
	"user.lifecycle.create":              "Create Okta user",
	"user.lifecycle.activate":            "Activate Okta user",
	"user.lifecycle.deactivate":          "Deactivate Okta user",
	"user.lifecycle.suspend":             "Suspend Okta user",
	"user.lifecycle.unsuspend":           "Unsuspend Okta user",
	"user.lifecycle.reactivate":          "Reactivate Okta user",
	"user.lifecycle.delete.initiated":    "Delete Okta user",
	"user.session.start":                 "User login to Okta",
	"user.session.end":                   "User logout from Okta",
	"user.authentication.sso":            "User single sign on to app",
	"user.authentication.auth_via_mfa":   "Authentication of user via MFA",
	"user.authentication.authenticate":   "User authentication",
	"user.account.lock":                  "Max sign in attempts exceeded",
	"user.account.unlock_by_admin":       "Unlock user account by admin",
	"user.account.reset_password":        "Reset password for Okta user",
	"user.account.update_password":       "User update password for Okta",
	"user.mfa.factor.activate":           "User set up MFA factor",
	"user.mfa.factor.deactivate":         "Reset factor for user",
	"user.mfa.factor.suspend":            "Suspend factor for user",
	"user.mfa.factor.unsuspend":          "Unsuspend factor for user",
	"user.mfa.factor.update":             "Update factor for user",
	"user.mfa.factor.reset_all":          "Reset all factors for user",
	"group.lifecycle.create":             "Create Okta group",
	"group.lifecycle.delete":             "Delete Okta group",
	"group.user_membership.add":          "Add user to group membership",
	"group.user_membership.remove":       "Remove user from group membership",
	"application.user_membership.add":    "Add user to application membership",
	"application.user_membership.remove": "Remove user from application membership",
	"system.api_token.create":            "Create API token",
	"system.api_token.revoke":            "Revoke API token",
	"policy.evaluate_sign_on":            "Evaluation of sign-on policy",
	"policy.lifecycle.update":            "Update policy",
}

// displayMessage is eventType's sentence, or for an event type without
// one its words ("identitystore.user.create" reads "Identitystore user
// create").
func displayMessage(eventType string) string {
	if m, ok := displayMessages[eventType]; ok {
		return m
	}
	words := strings.Join(strings.FieldsFunc(eventType, func(r rune) bool { return r == '.' || r == '_' }), " ")
	if words == "" {
		return "Event"
	}
	return strings.ToUpper(words[:1]) + words[1:]
}
