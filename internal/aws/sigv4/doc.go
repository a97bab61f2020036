// Package sigv4 verifies AWS Signature Version 4 on incoming requests, the way
// STS, IAM, SSO Admin, Identity Store and Organizations do.
//
// It owns parsing the Authorization header, the skew, scope and payload-hash
// checks, refusing requests that leave a header choosing what runs
// (X-Amz-Target, X-Amz-Security-Token) out of SignedHeaders, and recomputing the signature (with aws-sdk-go-v2's signer, so the
// canonicalization is the one the AWS Go clients use). It does not own keys:
// a Lookup supplied by the caller turns an access key id into its secret, and
// the caller decides whether the scope's service is the one it serves. It
// must not read request bodies itself (the caller passes a size-bounded body)
// and must not render errors: it returns *errs.Error values that the protocol
// renderers turn into JSON or XML, with QueryCode naming their awsQuery codes.
package sigv4
