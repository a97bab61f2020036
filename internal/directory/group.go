package directory

import (
	"strings"
	"time"
)

// GroupType is Okta's group type.
type GroupType string

// The group types keyward has. APP_GROUP (groups imported from an app) has
// no source here.
const (
	OktaGroup GroupType = "OKTA_GROUP"
	BuiltIn   GroupType = "BUILT_IN" // Everyone: every user, not editable
)

// Group is a set of users.
type Group struct {
	ID          string
	Type        GroupType
	Name        string
	Description string
	Created     time.Time
	LastUpdated time.Time
	// LastMembershipUpdated moves when a member joins or leaves.
	LastMembershipUpdated time.Time
}

// NormalizeGroupName folds a group name for uniqueness: names are unique
// regardless of case.
func NormalizeGroupName(name string) string { return strings.ToLower(name) }

// ValidateGroup checks a group's name (required, at most 255 characters)
// and description (at most 1024).
func ValidateGroup(g Group) error {
	var causes []string
	switch {
	case strings.TrimSpace(g.Name) == "":
		causes = append(causes, "name: The field cannot be left blank")
	case checkText(g.Name, 255) != "":
		causes = append(causes, "name: "+checkText(g.Name, 255))
	}
	if c := checkText(g.Description, 1024); c != "" {
		causes = append(causes, "description: "+c)
	}
	if len(causes) == 0 {
		return nil
	}
	return validationError(causes)
}
