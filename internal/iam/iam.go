// Package iam is IAM's domain: the policy language (parsing and validating
// policy documents), the bundled catalog of AWS managed policies (every ARN
// AWS publishes, with full documents for the common ones), IAM's
// identifiers and ARNs (role ids, access key ids and secrets, role, root and
// assumed-role ARNs), the neutral description of an STS session, and policy
// evaluation: Evaluate(Request, Policies) decides a request as AWS's
// documented evaluation logic does (explicit deny wins; SCPs, role trust and
// resource-based, identity-based, permissions boundary and session policies
// combine as AWS combines them; Action/NotAction, Resource/NotResource,
// Principal/NotPrincipal, wildcards, policy variables and every condition
// operator), and Decision.Message words a denial exactly as AWS does. It
// imports only the standard library and the clock; it must not know about
// wires, storage, sealing or Identity Center.
package iam
