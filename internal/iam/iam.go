// Package iam is IAM's domain: the policy language (parsing and validating
// policy documents), the bundled catalog of AWS managed policies (every ARN
// AWS publishes, with full documents for the common ones), IAM's
// identifiers and ARNs (role ids, access key ids and secrets, role, root and
// assumed-role ARNs) and the neutral description of an STS session. Policy
// evaluation will live here too. It imports only the standard library and
// the clock; it must not know about wires, storage, sealing or Identity
// Center.
package iam
