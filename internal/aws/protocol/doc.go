// Package protocol reads and writes the AWS wire formats keyward speaks:
// awsJson1_1 (SSO Admin, Identity Store, Organizations), restJson1 (SSO
// portal, SSO-OIDC) and awsQuery (STS, IAM). It owns bounded body reads,
// strict decoding (JSON bodies, and awsQuery forms with their lists and maps
// into typed inputs), request ids and the one error renderer per protocol that turns an
// *errs.Error into the exact shape the AWS clients parse. It knows nothing of
// any service's operations.
package protocol
