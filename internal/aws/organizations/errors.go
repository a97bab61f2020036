package organizations

import (
	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/store"
)

// wire is one Organizations exception: its code, the message the model
// documents for it and, for ConstraintViolationException, its Reason.
type wire struct{ code, msg, reason string }

// notFoundWire words errs.NotFound by what the store says is missing.
var notFoundWire = map[string]wire{
	store.ResourceParent:       {"ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.", ""},
	store.ResourceOrgUnit:      {"OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified.", ""},
	store.ResourceOrgPolicy:    {"PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.", ""},
	store.ResourcePolicyTarget: {"TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.", ""},
	store.ResourceRoot:         {"RootNotFoundException", "We can't find a root with the RootId that you specified.", ""},
	store.ResourceAccount:      {"AccountNotFoundException", "You specified an account that doesn't exist.", ""},
	store.ResourceAttachment:   {"PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.", ""},
	store.ResourceDelegation: {"AccountNotRegisteredException",
		"The specified account is not a delegated administrator for this Amazon Web Services service.", ""},
}

// conflictWire words errs.Conflict by the resource and the rule it broke.
var conflictWire = map[[2]string]wire{
	{store.ResourceOrgUnit, store.FieldName}:          {"DuplicateOrganizationalUnitException", "An OU with the same name already exists.", ""},
	{store.ResourceOrgUnit, store.FieldInUse}:         {"OrganizationalUnitNotEmptyException", "The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.", ""},
	{store.ResourceOrgUnit, store.FieldLimit}:         constraint("You attempted to exceed the number of OUs that you can have in an organization.", "OU_NUMBER_LIMIT_EXCEEDED"),
	{store.ResourceOrgPolicy, store.FieldName}:        {"DuplicatePolicyException", "A policy with the same name already exists.", ""},
	{store.ResourceOrgPolicy, store.FieldInUse}:       {"PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.", ""},
	{store.ResourceOrgPolicy, store.FieldLimit}:       constraint("You attempted to exceed the number of policies that you can have in an organization.", "POLICY_NUMBER_LIMIT_EXCEEDED"),
	{store.ResourceOrgPolicy, store.FieldPolicyType}:  {"PolicyTypeNotEnabledException", "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.", ""},
	{store.ResourceOrgPolicy, store.FieldAttached}:    {"DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.", ""},
	{store.ResourceOrgPolicy, store.FieldMaxAttached}: constraint("You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"),
	{store.ResourceOrgPolicy, store.FieldLastPolicy}:  constraint("You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.", "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"),
	{store.ResourcePolicyTarget, store.FieldTagLimit}: constraint("You have exceeded the number of tags allowed on this resource.", "MAX_TAG_LIMIT_EXCEEDED"),
	{store.ResourceAccount, store.FieldParent}:        {"DuplicateAccountException", "That account is already present in the specified destination.", ""},
	{store.ResourceDelegation, store.FieldLimit}:      constraint("You attempted to register an Amazon Web Services account as a delegated administrator for an Amazon Web Services service that already has a delegated administrator. To complete this operation, you must first deregister any existing delegated administrators for this service.", "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE"),
	{store.ResourceDelegation, store.FieldID}:         {"AccountAlreadyRegisteredException", "The specified account is already a delegated administrator for this Amazon Web Services service.", ""},
}

func constraint(msg, reason string) wire { return wire{"ConstraintViolationException", msg, reason} }

// err returns w as an error of kind.
func (w wire) err(kind errs.Kind) *errs.Error {
	e := errs.E(kind, "%s", w.msg).WithCode(w.code)
	if w.reason != "" {
		e = e.WithReason(w.reason)
	}
	return e
}

// wordStoreError words the store's neutral errors as Organizations'
// exceptions; errors that already carry a code pass unchanged.
func wordStoreError(err error) error {
	e, ok := errs.As(err)
	if !ok || e.Code != "" {
		return err
	}
	switch e.Kind {
	case errs.NotFound:
		if w, ok := notFoundWire[e.ResourceType]; ok {
			return w.err(errs.NotFound)
		}
	case errs.Conflict:
		if w, ok := conflictWire[[2]string{e.ResourceType, e.Field}]; ok {
			return w.err(errs.Conflict)
		}
	}
	return err
}

// invalid is an InvalidInputException with a model reason.
func invalid(reason, format string, args ...any) error {
	return errs.E(errs.Invalid, format, args...).WithReason(reason)
}

// constraintViolation is a ConstraintViolationException with a model reason.
func constraintViolation(reason, format string, args ...any) error {
	return errs.E(errs.Conflict, format, args...).WithCode("ConstraintViolationException").WithReason(reason)
}
