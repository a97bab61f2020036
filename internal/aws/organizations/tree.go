package organizations

import (
	"context"
	"strings"

	"github.com/keyward/keyward/internal/aws/protocol"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Page sizes: every Organizations list takes MaxResults 1 to 20.
const (
	defaultPage = 20
	maxPage     = 20
)

// pageArgs are the paging members every list input shares.
type pageArgs struct {
	NextToken  string
	MaxResults *int
}

// ARNs of the organization's resources, as Organizations writes them.
func rootARN(o ic.Organization, id string) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":root/" + o.ID + "/" + id
}

func ouARN(o ic.Organization, id string) string {
	return "arn:aws:organizations::" + o.ManagementAccountID + ":ou/" + o.ID + "/" + id
}

func policyARN(o ic.Organization, p ic.OrgPolicy) string {
	typ := strings.ToLower(p.Type)
	if p.AWSManaged {
		return "arn:aws:organizations::aws:policy/" + typ + "/" + p.ID
	}
	return "arn:aws:organizations::" + o.ManagementAccountID + ":policy/" + o.ID + "/" + typ + "/" + p.ID
}

// targetARN is the ARN of a root, OU or account by its id.
func targetARN(o ic.Organization, id string) string {
	switch ic.OrgKindOf(id) {
	case ic.KindRoot:
		return rootARN(o, id)
	case ic.KindOrgUnit:
		return ouARN(o, id)
	}
	return accountARN(o, id)
}

// pathString writes a path of ids (root first) as Organizations' Path:
// "o-…/r-…/ou-…/…/".
func pathString(o ic.Organization, ids []string) string {
	return o.ID + "/" + strings.Join(ids, "/") + "/"
}

// checkID refuses an empty or malformed identifier: field is the model's
// member name in lowerCamel form, shape says what it must look like.
func checkID(field, value string, valid func(string) bool, reason, shape string) error {
	if err := protocol.Required(field, value); err != nil {
		return inputRequired(err)
	}
	if len(value) > 130 || !valid(value) {
		return invalid(reason, "%s %.64q must be %s", upperFirst(field), value, shape)
	}
	return nil
}

// inputRequired gives a missing member the model's INPUT_REQUIRED reason.
func inputRequired(err error) error {
	if err == nil {
		return nil
	}
	return invalid("INPUT_REQUIRED", "%s", err.Error())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Identifier shapes, worded for messages.
const (
	parentShape = "a root id (r- and 4 to 32 lowercase letters or digits) or an OU id (ou-, the root's suffix, - and 8 to 32 lowercase letters or digits)"
	ouShape     = "ou-, 4 to 32 lowercase letters or digits, - and 8 to 32 lowercase letters or digits"
	rootShape   = "r- and 4 to 32 lowercase letters or digits"
	policyShape = "p- and 8 to 128 letters, digits or underscores"
	targetShape = "a root id, an OU id or a 12-digit account id"
	childShape  = "an OU id or a 12-digit account id"
	tagResShape = "a root id, an OU id, a 12-digit account id or a policy id"
)

func validParent(id string) bool {
	k := ic.OrgKindOf(id)
	return k == ic.KindRoot || k == ic.KindOrgUnit
}

func validTarget(id string) bool {
	k := ic.OrgKindOf(id)
	return k == ic.KindRoot || k == ic.KindOrgUnit || k == ic.KindAccount
}

func validChild(id string) bool {
	k := ic.OrgKindOf(id)
	return k == ic.KindOrgUnit || k == ic.KindAccount
}

func validTaggable(id string) bool { return ic.OrgKindOf(id) != "" }

// kindOfParent is a parent's ParentType or a target's TargetType.
func kindOfParent(id string) string { return ic.OrgKindOf(id) }

// org returns the organization every ARN names.
func (s *Service) org(ctx context.Context) (ic.Organization, error) { return s.store.Organization(ctx) }

// requiredList is the missing-member error of a required list.
func requiredList(field string) error { return protocol.Required(field, "") }
