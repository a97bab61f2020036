// Package protocol reads and writes the AWS wire formats keyward speaks:
// awsJson1_1 (SSO Admin, Identity Store, Organizations), restJson1 (SSO
// portal, SSO-OIDC) and awsQuery (STS, IAM). It owns bounded body reads,
// strict decoding (JSON bodies; awsQuery forms, lists and maps included,
// into typed inputs; restJson1 path, query, headers and body into typed
// inputs through REST), request ids and the error renderers that turn an
// *errs.Error into the exact shape the AWS clients parse. It knows nothing
// of any service's operations, and leaves a service with its own error
// shape (SSO-OIDC's OAuth members) to render it itself.
package protocol
