package identitystore

// The resource Identity Store's operations act on, for the gateway's
// authorizer: the identity store, arn:aws:identitystore::ACCOUNT:identitystore/ID
// (IAM's Identitystore resource type, which every action names). The
// account is the caller's: keyward has one identity store, which the
// management account or Identity Center's delegated administrator
// administers.

func storeARN(account, id string) string {
	if id == "" {
		return "*"
	}
	return "arn:aws:identitystore::" + account + ":identitystore/" + id
}

func (in *createGroupInput) ResourceARN(a string) string     { return storeARN(a, in.IdentityStoreID) }
func (in *groupRef) ResourceARN(a string) string             { return storeARN(a, in.IdentityStoreID) }
func (in *listGroupsInput) ResourceARN(a string) string      { return storeARN(a, in.IdentityStoreID) }
func (in *membershipInput) ResourceARN(a string) string      { return storeARN(a, in.IdentityStoreID) }
func (in *membershipRef) ResourceARN(a string) string        { return storeARN(a, in.IdentityStoreID) }
func (in *listMembershipsInput) ResourceARN(a string) string { return storeARN(a, in.IdentityStoreID) }
func (in *isMemberInput) ResourceARN(a string) string        { return storeARN(a, in.IdentityStoreID) }
func (in *createUserInput) ResourceARN(a string) string      { return storeARN(a, in.IdentityStoreID) }
func (in *userRef) ResourceARN(a string) string              { return storeARN(a, in.IdentityStoreID) }
func (in *listUsersInput) ResourceARN(a string) string       { return storeARN(a, in.IdentityStoreID) }
func (in *getIDInput) ResourceARN(a string) string           { return storeARN(a, in.IdentityStoreID) }
