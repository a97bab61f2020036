package iam

import (
	"embed"
	"encoding/json"
	"io/fs"
	"sort"
)

// ManagedPolicy is an AWS managed policy from the bundled catalog.
type ManagedPolicy struct {
	Name        string          `json:"PolicyName"`
	Path        string          `json:"Path"`
	ARN         string          `json:"Arn"`
	Description string          `json:"Description"`
	Document    json.RawMessage `json:"Document"`
}

// The catalog holds the managed policies people assign most through
// permission sets. Documents of the broad read-only policies are abridged to
// service-level wildcards; AWS's own enumerate hundreds of actions.
//
//go:embed managed/*.json
var managedFS embed.FS

var catalog = loadCatalog()

func loadCatalog() map[string]ManagedPolicy {
	out := map[string]ManagedPolicy{}
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
