// Package iam holds IAM's policy language: parsing and validating policy
// documents, and the bundled catalog of AWS managed policies (every ARN AWS
// publishes, with full documents for the common ones). Policy
// evaluation will live here too. Standard library only; no wire or storage.
package iam
