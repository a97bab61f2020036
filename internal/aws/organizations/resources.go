package organizations

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// resources are the ARNs of the resources an operation's input names, on
// which IAM evaluates the caller's policies, as the Service Authorization
// Reference lists them for Organizations: each must be allowed. nil means
// the operation acts on no single resource and is authorized on "*"
// (ListAccounts, CreatePolicy, … and DescribeOrganization, whose
// reference row names no resource type). The inputs cannot name their
// ARNs themselves (gateway.Resourcer): the ARNs hold the organization's id
// and its management account's. An id is put in its ARN as given, even
// one that names nothing or is malformed: the operation answers that
// after.
func (s *Service) resources(ctx context.Context, input any) ([]string, error) {
	named := namedIn(input)
	if len(named) == 0 {
		return nil, nil
	}
	o, err := s.org(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(named))
	for i, n := range named {
		if n.arn != nil {
			out[i] = n.arn(o, n.id)
		} else if out[i], err = s.policyARNOf(ctx, o, n.id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// named is a resource an input names: its id, and how to write its ARN
// (nil for a policy, whose ARN needs its type from the store).
type named struct {
	arn func(ic.Organization, string) string
	id  string
}

// namedIn lists the resources input names, in the order they are
// authorized.
func namedIn(input any) []named {
	switch in := input.(type) {
	case *describeAccountInput:
		return []named{{accountARN, in.AccountID}}
	case *delegationInput:
		return []named{{accountARN, in.AccountID}}
	case *listDelegatedServicesInput:
		return []named{{accountARN, in.AccountID}}
	case *ouIDInput:
		return []named{{ouARN, in.OrganizationalUnitID}}
	case *updateOUInput:
		return []named{{ouARN, in.OrganizationalUnitID}}
	case *createOUInput:
		return []named{{parentARN, in.ParentID}}
	case *parentInput:
		return []named{{parentARN, in.ParentID}}
	case *listChildrenInput:
		return []named{{parentARN, in.ParentID}}
	case *listParentsInput:
		return []named{{targetARN, in.ChildID}}
	case *policyTypeInput:
		return []named{{rootARN, in.RootID}}
	case *moveAccountInput:
		return []named{{accountARN, in.AccountID}, {parentARN, in.SourceParentID}, {parentARN, in.DestinationParentID}}
	case *policiesForTargetInput:
		return []named{{targetARN, in.TargetID}}
	case *policyIDInput:
		return []named{{nil, in.PolicyID}}
	case *updatePolicyInput:
		return []named{{nil, in.PolicyID}}
	case *targetsForPolicyInput:
		return []named{{nil, in.PolicyID}}
	case *attachInput:
		return []named{{nil, in.PolicyID}, {targetARN, in.TargetID}}
	case *tagResourceInput:
		return []named{taggable(in.ResourceID)}
	case *untagResourceInput:
		return []named{taggable(in.ResourceID)}
	case *listTagsInput:
		return []named{taggable(in.ResourceID)}
	}
	return nil
}

// taggable is a resource tags are on: a policy, or a root, OU or account.
func taggable(id string) named {
	if ic.OrgKindOf(id) == ic.KindPolicy {
		return named{nil, id}
	}
	return named{targetARN, id}
}

// policyARNOf is the ARN of the policy id names. A policy that does not
// exist (or a malformed id) has no type to name: its ARN names the only
// type keyward supports, service_control_policy, and the operation then
// answers PolicyNotFoundException (or InvalidInputException).
func (s *Service) policyARNOf(ctx context.Context, o ic.Organization, id string) (string, error) {
	p := ic.OrgPolicy{ID: id, Type: ic.SCP}
	if ic.ValidOrgPolicyID(id) {
		found, err := s.store.OrgPolicy(ctx, id)
		if err == nil {
			p = found
		} else if !errs.Is(err, errs.NotFound) {
			return "", err
		}
	}
	return policyARN(o, p), nil
}

// parentARN is the ARN of a root or, for any other id, an OU.
func parentARN(o ic.Organization, id string) string {
	if ic.OrgKindOf(id) == ic.KindRoot {
		return rootARN(o, id)
	}
	return ouARN(o, id)
}
