// Package awsconfig reads and edits the AWS CLI's shared files,
// ~/.aws/config and ~/.aws/credentials, the way a careful person would:
// every line it was not asked to change stays byte for byte as it was
// (comments, blank lines, order, unknown keys, nested sub-sections such as
// `s3 =` followed by indented settings, CRLF line ends).
//
// It owns: parsing both files as the AWS CLI does (Python configparser
// plus botocore's profile rules) with a size bound and errors that name
// the line; editing sections and keys in place; saving atomically (temp
// file, fsync, rename; the file's mode kept, new files 0600) and refusing
// to save over a file that changed on disk since it was read; and
// `profiles sync`: naming one profile per account and role with a
// template, planning what to add, update and prune, and showing that plan
// as a diff. Profiles it writes carry a keyward_source marker, and it
// only ever updates or prunes profiles with the marker of the same
// source, so the person's own profiles are never touched.
//
// It does not own: which keys a profile gets (the command decides),
// signing in or fetching the account and role list (cred/sso), the
// AWS CLI's token cache (cred/sso), or where secrets are kept.
package awsconfig
