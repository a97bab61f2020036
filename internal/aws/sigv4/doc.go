// Package sigv4 verifies AWS Signature Version 4 on incoming requests, the way
// STS, IAM, SSO Admin, Identity Store and Organizations do.
//
// It owns parsing the Authorization header (Verify) and the query-string form
// of presigned URLs (VerifyPresigned: X-Amz-Algorithm, -Credential, -Date,
// -Expires, -SignedHeaders, -Signature), the skew, validity window, scope and
// payload-hash checks, refusing requests that leave a header choosing what
// runs (X-Amz-Target, X-Amz-Security-Token) out of SignedHeaders, and
// recomputing the signature (with aws-sdk-go-v2's signer and presigner, so
// the canonicalization is the one the AWS Go clients use).
//
// It does not own keys: a Lookup supplied by the caller turns an access key
// id into its secret. It does not decide which operations accept a presigned
// URL (the gateway does; only STS GetCallerIdentity) nor whether the scope's
// service is the one the caller serves. It must not read request bodies
// itself (the caller passes a size-bounded body) and must not render errors:
// it returns *errs.Error values that the protocol renderers turn into JSON or
// XML, with QueryCode naming their awsQuery codes.
package sigv4
