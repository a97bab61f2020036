package iam

import (
	"embed"
	"encoding/json"
	"io/fs"
	"sort"
	"strings"
)

// ManagedPolicy is an AWS managed policy from the bundled catalog.
type ManagedPolicy struct {
	Name        string `json:"PolicyName"`
	Path        string `json:"Path"`
	ARN         string `json:"Arn"`
	Description string `json:"Description"`
	// Document is empty for the policies the catalog knows by ARN only.
	Document json.RawMessage `json:"Document"`
}

// The catalog knows every AWS managed policy AWS publishes by ARN
// (awsmanaged/arns.txt; its README names the source), and holds the full
// documents (managed/*.json) of the policies people assign most through
// permission sets. Documents of the broad read-only policies are abridged to
// service-level wildcards; AWS's own enumerate hundreds of actions.
//
//go:embed managed/*.json awsmanaged/arns.txt
var managedFS embed.FS

var catalog = loadCatalog()

func loadCatalog() map[string]ManagedPolicy {
	out := map[string]ManagedPolicy{}
	list, _ := managedFS.ReadFile("awsmanaged/arns.txt")
	for _, arn := range strings.Fields(string(list)) {
		out[arn] = policyFromARN(arn)
	}
	files, _ := fs.Glob(managedFS, "managed/*.json")
	for _, f := range files {
		b, _ := managedFS.ReadFile(f)
		var p ManagedPolicy
		if err := json.Unmarshal(b, &p); err != nil {
			panic("iam: bad bundled policy " + f + ": " + err.Error())
		}
		out[p.ARN] = p
	}
	return out
}

// policyFromARN names a policy known by ARN only:
// arn:aws:iam::aws:policy/job-function/ViewOnlyAccess has the path
// /job-function/ and the name ViewOnlyAccess.
func policyFromARN(arn string) ManagedPolicy {
	_, rest, _ := strings.Cut(arn, ":policy")
	i := strings.LastIndex(rest, "/")
	return ManagedPolicy{Name: rest[i+1:], Path: rest[:i+1], ARN: arn}
}

// LookupManaged returns the managed policy with arn.
func LookupManaged(arn string) (ManagedPolicy, bool) {
	p, ok := catalog[arn]
	return p, ok
}

// ManagedPolicies returns the catalog sorted by ARN.
func ManagedPolicies() []ManagedPolicy {
	out := make([]ManagedPolicy, 0, len(catalog))
	for _, p := range catalog {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}
