// Package userimport is bulk onboarding: it reads users and their group
// memberships from a CSV or JSON file, checks every row against the
// profile schema and the password policy before anything is written, plans
// what would change (create, partial profile update, memberships to add,
// groups to create) and applies the plan through the store one user at a
// time. Running the same file twice changes nothing the second time.
//
// It owns the file formats and the comparison; it must not know how the
// store keeps users, nor import other idp packages.
package userimport
