package iamapi

import (
	"context"
	"time"

	"github.com/keyward/keyward/internal/errs"
	"github.com/keyward/keyward/internal/iam"
)

type listMFAInput struct {
	UserName string
	Marker   string
	MaxItems *int
}

type wireMFA struct {
	UserName     string
	SerialNumber string
	EnableDate   time.Time
}

type listMFAResult struct {
	MFADevices []wireMFA `xml:"MFADevices>member"`
	truncation
}

func (s *Service) listMFADevices(ctx context.Context, in *listMFAInput) (*listMFAResult, error) {
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	if in.UserName == "" {
		if rootCaller(ctx) {
			return &listMFAResult{MFADevices: []wireMFA{}}, nil // the root user's own MFA is not IAM's to list
		}
	}
	u, err := s.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	devices, next, err := s.store.ListIAMMFADevices(ctx, u.AccountID, u.ID, p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := &listMFAResult{MFADevices: make([]wireMFA, len(devices)), truncation: truncated(next)}
	for i, d := range devices {
		out.MFADevices[i] = wireMFA{UserName: u.Name, SerialNumber: d.SerialNumber(), EnableDate: wireTime(d.EnableDate)}
	}
	return out, nil
}

type listVirtualMFAInput struct {
	AssignmentStatus string
	Marker           string
	MaxItems         *int
}

type listVirtualMFAResult struct {
	VirtualMFADevices []wireMFADevice `xml:"VirtualMFADevices>member"`
	truncation
}

// listVirtualMFADevices filters by assignment after paging, so a page may
// hold fewer than MaxItems devices while IsTruncated says more follow.
func (s *Service) listVirtualMFADevices(ctx context.Context, in *listVirtualMFAInput) (*listVirtualMFAResult, error) {
	status := in.AssignmentStatus
	if status == "" {
		status = "Any"
	}
	if status != "Any" && status != "Assigned" && status != "Unassigned" {
		return nil, errs.E(errs.Invalid, "1 validation error detected: Value '%.32s' at 'assignmentStatus' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [Unassigned, Any, Assigned]", status)
	}
	acct, err := callerAccount(ctx)
	if err != nil {
		return nil, err
	}
	p, err := page(in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	devices, next, err := s.store.ListIAMMFADevices(ctx, acct, "", p)
	if err != nil {
		return nil, badMarker(err)
	}
	out := &listVirtualMFAResult{VirtualMFADevices: []wireMFADevice{}, truncation: truncated(next)}
	for _, d := range devices {
		if status == "Any" || (status == "Assigned") == d.Assigned() {
			w, err := s.wireDevice(ctx, d)
			if err != nil {
				return nil, err
			}
			out.VirtualMFADevices = append(out.VirtualMFADevices, w)
		}
	}
	return out, nil
}

func (s *Service) wireDevice(ctx context.Context, d iam.VirtualMFADevice) (wireMFADevice, error) {
	w := wireMFADevice{SerialNumber: d.SerialNumber(), Tags: wireTags(d.Tags)}
	if !d.Assigned() {
		return w, nil
	}
	u, err := s.store.IAMUserByID(ctx, d.UserID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return w, err
	}
	wu, at := toWireUser(u), wireTime(d.EnableDate)
	wu.Tags = nil
	w.User, w.EnableDate = &wu, &at
	return w, nil
}
