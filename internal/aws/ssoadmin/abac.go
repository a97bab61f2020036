package ssoadmin

import (
	"context"

	"github.com/keyward/keyward/internal/errs"
	ic "github.com/keyward/keyward/internal/identitycenter"
)

// Attributes for access control: the wire shape nests each attribute's
// source in Value.Source, a list of exactly one.

type wireAttribute struct {
	Key   string
	Value struct{ Source []string }
}

type wireAccessControl struct{ AccessControlAttributes []wireAttribute }

type accessControlInput struct {
	InstanceArn                                 string
	InstanceAccessControlAttributeConfiguration *wireAccessControl
}

// config validates the input's configuration.
func (in *accessControlInput) config() (ic.AccessControlConfig, error) {
	c := ic.AccessControlConfig{Attributes: []ic.AccessControlAttribute{}}
	if in.InstanceAccessControlAttributeConfiguration == nil || in.InstanceAccessControlAttributeConfiguration.AccessControlAttributes == nil {
		return c, errs.E(errs.Invalid, "instanceAccessControlAttributeConfiguration.accessControlAttributes is required")
	}
	for _, a := range in.InstanceAccessControlAttributeConfiguration.AccessControlAttributes {
		if len(a.Value.Source) != 1 {
			return c, errs.E(errs.Invalid, "AccessControlAttribute %.140q: Value.Source must hold exactly one source", a.Key)
		}
		c.Attributes = append(c.Attributes, ic.AccessControlAttribute{Key: a.Key, Source: a.Value.Source[0]})
	}
	return c, c.Validate()
}

func toWire(c ic.AccessControlConfig) wireAccessControl {
	out := wireAccessControl{AccessControlAttributes: []wireAttribute{}}
	for _, a := range c.Attributes {
		w := wireAttribute{Key: a.Key}
		w.Value.Source = []string{a.Source}
		out.AccessControlAttributes = append(out.AccessControlAttributes, w)
	}
	return out
}

// setAccessControl validates the input and stores its configuration; exists
// says whether one must (update) or must not (create) be there already.
func (s *Service) setAccessControl(ctx context.Context, in *accessControlInput, exists bool) (*struct{}, error) {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return nil, err
	}
	c, err := in.config()
	if err != nil {
		return nil, err
	}
	_, err = s.store.UpdateInstance(ctx, func(i ic.Instance) (ic.Instance, error) {
		if err := accessControlState(i, exists); err != nil {
			return i, err
		}
		i.AccessControl = &c
		return i, nil
	})
	return &struct{}{}, err
}

// accessControlState refuses a change when the instance has (want false) or
// lacks (want true) an access control configuration.
func accessControlState(i ic.Instance, want bool) error {
	switch {
	case want && i.AccessControl == nil:
		return errs.E(errs.NotFound, "No attribute-based access control configuration exists for instance %s", i.ARN())
	case !want && i.AccessControl != nil:
		return errs.E(errs.Conflict, "An attribute-based access control configuration already exists for instance %s; update it instead", i.ARN())
	}
	return nil
}

func (s *Service) createAccessControl(ctx context.Context, in *accessControlInput) (*struct{}, error) {
	return s.setAccessControl(ctx, in, false)
}

func (s *Service) updateAccessControl(ctx context.Context, in *accessControlInput) (*struct{}, error) {
	return s.setAccessControl(ctx, in, true)
}

type describeAccessControlOutput struct {
	Status                                      string
	StatusReason                                string `json:",omitempty"`
	InstanceAccessControlAttributeConfiguration wireAccessControl
}

func (s *Service) describeAccessControl(ctx context.Context, in *instanceRef) (*describeAccessControlOutput, error) {
	inst, err := s.checkInstance(ctx, in.InstanceArn)
	if err != nil {
		return nil, err
	}
	if err := accessControlState(inst, true); err != nil {
		return nil, err
	}
	return &describeAccessControlOutput{Status: "ENABLED", InstanceAccessControlAttributeConfiguration: toWire(*inst.AccessControl)}, nil
}

func (s *Service) deleteAccessControl(ctx context.Context, in *instanceRef) (*struct{}, error) {
	if _, err := s.checkInstance(ctx, in.InstanceArn); err != nil {
		return nil, err
	}
	_, err := s.store.UpdateInstance(ctx, func(i ic.Instance) (ic.Instance, error) {
		if err := accessControlState(i, true); err != nil {
			return i, err
		}
		i.AccessControl = nil
		return i, nil
	})
	return &struct{}{}, err
}
