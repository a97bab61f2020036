package iamapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/keyward/keyward/internal/aws/gateway"
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

// Simulator gathers what applies to an IAM user, group or role, for
// SimulatePrincipalPolicy (package authz answers it).
type Simulator interface {
	PrincipalPolicies(ctx context.Context, arn string) (iam.Principal, iam.Policies, error)
}

// WithSimulator lets the service simulate principals' policies.
func (s *Service) WithSimulator(sim Simulator) *Service {
	s.sim = sim
	return s
}

// simulateActions are the policy simulator's operations.
func (s *Service) simulateActions() map[string]gateway.QueryAction {
	return map[string]gateway.QueryAction{
		"SimulatePrincipalPolicy": gateway.QueryOp(s.simulatePrincipalPolicy),
		"SimulateCustomPolicy":    gateway.QueryOp(s.simulateCustomPolicy),
	}
}

// Limits of a simulation, as IAM's model sets them.
const (
	maxSimulatedActions = 100
	maxSimulatedARNs    = 100
)

type contextEntry struct {
	ContextKeyName   string
	ContextKeyValues []string
	ContextKeyType   string
}

// simulateInput is both simulators' input; only SimulatePrincipalPolicy
// reads PolicySourceArn.
type simulateInput struct {
	PolicySourceArn                    string
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     string
	CallerArn                          string
	ContextEntries                     []contextEntry
	MaxItems                           *int
	Marker                             string
}

// ResourceARN is the simulated principal, if any.
func (in *simulateInput) ResourceARN(string) string {
	if in.PolicySourceArn == "" {
		return "*"
	}
	return in.PolicySourceArn
}

type matchedStatement struct {
	SourcePolicyID   string `xml:"SourcePolicyId"`
	SourcePolicyType string
}

type evaluationResult struct {
	EvalActionName                    string
	EvalResourceName                  string
	EvalDecision                      string
	MatchedStatements                 members[matchedStatement]
	MissingContextValues              members[string]
	OrganizationsDecisionDetail       *struct{ AllowedByOrganizations bool } `xml:",omitempty"`
	PermissionsBoundaryDecisionDetail *struct {
		AllowedByPermissionsBoundary bool
	} `xml:",omitempty"`
}

type simulateResult struct {
	EvaluationResults members[evaluationResult]
	IsTruncated       bool
}

func (s *Service) simulatePrincipalPolicy(ctx context.Context, in *simulateInput) (*simulateResult, error) {
	if in.PolicySourceArn == "" {
		return nil, iam.Invalid("policySourceArn", "", "Member must not be null")
	}
	if s.sim == nil {
		return nil, errs.E(errs.Internal, "iamapi: no simulator")
	}
	p, pol, err := s.sim.PrincipalPolicies(ctx, in.PolicySourceArn)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.E(errs.NotFound, "The principal %s cannot be found.", in.PolicySourceArn).WithCode("NoSuchEntity")
	}
	if err != nil {
		return nil, err
	}
	return simulate(p, pol, "principal", in)
}

func (s *Service) simulateCustomPolicy(ctx context.Context, in *simulateInput) (*simulateResult, error) {
	if len(in.PolicyInputList) == 0 {
		return nil, iam.Invalid("policyInputList", "", "Member must not be null")
	}
	account, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	p := iam.Principal{ARN: in.CallerArn, Account: account}
	return simulate(p, iam.Policies{}, "custom", in)
}

// simulate evaluates every action on every resource with the principal's
// policies and those the input adds.
func simulate(p iam.Principal, pol iam.Policies, kind string, in *simulateInput) (*simulateResult, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	extra, err := parseAll(in.PolicyInputList, "policyInputList")
	if err != nil {
		return nil, err
	}
	pol.Identity = append(pol.Identity, extra...)
	if len(in.PermissionsBoundaryPolicyInputList) > 0 {
		if pol.Boundary, err = parseAll(in.PermissionsBoundaryPolicyInputList, "permissionsBoundaryPolicyInputList"); err != nil {
			return nil, err
		}
	}
	if in.ResourcePolicy != "" {
		doc, err := iam.ParseResourcePolicy([]byte(in.ResourcePolicy))
		if err != nil {
			return nil, iam.Malformed(err)
		}
		pol.Resource = []iam.Document{doc}
	}
	if in.CallerArn != "" && kind == "principal" {
		p.ARN = in.CallerArn
	}
	ctxKeys, err := in.context()
	if err != nil {
		return nil, err
	}
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	out := &simulateResult{}
	base := len(pol.Identity) - len(extra)
	for _, action := range in.ActionNames {
		for _, res := range resources {
			d := iam.Evaluate(iam.Request{Action: action, Resource: res, Principal: p, Context: ctxKeys}, pol)
			out.EvaluationResults.Member = append(out.EvaluationResults.Member, result(action, res, d, pol, base))
		}
	}
	return out, nil
}

// result words one decision as IAM's EvaluationResult.
func result(action, res string, d iam.Decision, pol iam.Policies, base int) evaluationResult {
	r := evaluationResult{EvalActionName: action, EvalResourceName: res, EvalDecision: "implicitDeny"}
	switch {
	case d.Allowed:
		r.EvalDecision = "allowed"
	case d.Explicit:
		r.EvalDecision = "explicitDeny"
	}
	if d.Policy >= 0 && (d.Allowed || d.Explicit) {
		m := matchedStatement{SourcePolicyID: d.By.String() + " " + strconv.Itoa(d.Policy+1), SourcePolicyType: "none"}
		if d.By == iam.PolicyKindIdentity && d.Policy >= base {
			m.SourcePolicyID, m.SourcePolicyType = "PolicyInputList."+strconv.Itoa(d.Policy-base+1), "user"
		}
		if d.By == iam.PolicyKindResource {
			m.SourcePolicyID, m.SourcePolicyType = "ResourcePolicy", "resource"
		}
		r.MatchedStatements.Member = []matchedStatement{m}
	}
	if pol.SCPs != nil {
		r.OrganizationsDecisionDetail = &struct{ AllowedByOrganizations bool }{!(d.By == iam.PolicyKindSCP && !d.Allowed)}
	}
	if pol.Boundary != nil {
		r.PermissionsBoundaryDecisionDetail = &struct{ AllowedByPermissionsBoundary bool }{!(d.By == iam.PolicyKindBoundary && !d.Allowed)}
	}
	return r
}

// check bounds the simulation's size.
func (in *simulateInput) check() error {
	switch {
	case len(in.ActionNames) == 0:
		return iam.Invalid("actionNames", "", "Member must not be null")
	case len(in.ActionNames) > maxSimulatedActions:
		return iam.Invalid("actionNames", strconv.Itoa(len(in.ActionNames)), "Member must have length less than or equal to 100")
	case len(in.ResourceArns) > maxSimulatedARNs:
		return iam.Invalid("resourceArns", strconv.Itoa(len(in.ResourceArns)), "Member must have length less than or equal to 100")
	}
	return nil
}

// context is the condition keys the input supplies. Typed values are
// kept as text, the form the evaluator compares.
func (in *simulateInput) context() (iam.Context, error) {
	var c iam.Context
	for _, e := range in.ContextEntries {
		if e.ContextKeyName == "" || len(e.ContextKeyName) > 256 || !validContextType(e.ContextKeyType) {
			return c, iam.Invalid("contextEntries.member.contextKeyType", e.ContextKeyType,
				"Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]")
		}
		c.Set(e.ContextKeyName, e.ContextKeyValues...)
	}
	return c, nil
}

func validContextType(t string) bool {
	switch strings.TrimSuffix(t, "List") {
	case "string", "numeric", "boolean", "ip", "binary", "date":
		return true
	}
	return false
}

// parseAll parses identity policy documents, refusing a malformed one.
func parseAll(docs []string, field string) ([]iam.Document, error) {
	out := make([]iam.Document, 0, len(docs))
	for _, d := range docs {
		if d == "" {
			return nil, iam.Invalid(field, d, "Member must have length greater than or equal to 1")
		}
		doc, err := iam.ParseIdentityPolicy([]byte(d))
		if err != nil {
			return nil, iam.Malformed(err)
		}
		out = append(out, doc)
	}
	return out, nil
}
