package organizations

import (
	"context"

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
		out[i] = n.arn(o, n.id)
	}
	return out, nil
}

// named is a resource an input names: its id, and how to write its ARN.
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
		return []named{{policyIDARN, in.PolicyID}}
	case *updatePolicyInput:
		return []named{{policyIDARN, in.PolicyID}}
	case *targetsForPolicyInput:
		return []named{{policyIDARN, in.PolicyID}}
	case *attachInput:
		return []named{{policyIDARN, in.PolicyID}, {targetARN, in.TargetID}}
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
		return named{policyIDARN, id}
	}
	return named{targetARN, id}
}

// policyIDARN is the ARN of the policy id names, read from the id alone:
// keyward's only policy type is service_control_policy and its only AWS
// managed policy FullAWSAccess, so no store read is needed (the operation
// reads the policy after, and answers PolicyNotFoundException for none).
func policyIDARN(o ic.Organization, id string) string {
	return policyARN(o, ic.OrgPolicy{ID: id, Type: ic.SCP, AWSManaged: id == ic.FullAWSAccessID})
}

// parentARN is the ARN of a root or, for any other id, an OU.
func parentARN(o ic.Organization, id string) string {
	if ic.OrgKindOf(id) == ic.KindRoot {
		return rootARN(o, id)
	}
	return ouARN(o, id)
}
