package scimclient

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// MaxMemberChanges is AWS's limit of membership changes per PATCH.
const MaxMemberChanges = 100

func itoa(n int) string { return strconv.Itoa(n) }

// CreateGroup creates g (with no members: they follow by PATCH, within
// the 100-member limit).
func (c *Client) CreateGroup(ctx context.Context, g Group) (Group, error) {
	g.Schemas, g.Members = []string{SchemaGroup}, nil
	var out Group
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/Groups", in: g, out: &out, limit: maxResourceBody})
	return out, err
}

// GetGroup reads one group. Its Members are not to be trusted.
func (c *Client) GetGroup(ctx context.Context, id string) (Group, error) {
	var out Group
	_, err := c.do(ctx, request{method: http.MethodGet, path: groupPath(id), out: &out, limit: maxResourceBody})
	return out, err
}

// PatchGroup applies ops to the group; the target may answer 200 or 204.
func (c *Client) PatchGroup(ctx context.Context, id string, ops ...Operation) error {
	var out Group
	_, err := c.do(ctx, request{method: http.MethodPatch, path: groupPath(id), in: patch(ops...), out: &out, limit: maxResourceBody})
	return err
}

// UpdateGroup sets the group's display name and external id (a rename).
func (c *Client) UpdateGroup(ctx context.Context, id string, g Group) error {
	ops := []Operation{{Op: "replace", Path: "displayName", Value: g.DisplayName}}
	if g.ExternalID != "" {
		ops = append(ops, Operation{Op: "replace", Path: "externalId", Value: g.ExternalID})
	}
	return c.PatchGroup(ctx, id, ops...)
}

// DeleteGroup deletes the group.
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	_, err := c.do(ctx, request{method: http.MethodDelete, path: groupPath(id)})
	return err
}

// FindGroups lists the groups a filter matches (one page).
func (c *Client) FindGroups(ctx context.Context, filter string) ([]Group, error) {
	var out ListResponse[Group]
	q := url.Values{"filter": {filter}}
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/Groups", query: q, out: &out, limit: maxListBody})
	return out.Resources, err
}

// ListGroups calls fn with every page of groups.
func (c *Client) ListGroups(ctx context.Context, fn func([]Group) error) error {
	return listAll(ctx, c, "/Groups", fn)
}

func (c *Client) findGroup(ctx context.Context, attr, value string) (Group, bool, error) {
	if value == "" {
		return Group{}, false, nil
	}
	got, err := c.FindGroups(ctx, Filter(attr, value))
	if err != nil || len(got) == 0 {
		return Group{}, false, err
	}
	return got[0], true, nil
}

// HasMember asks the target whether the user is in the group, by the
// `id eq and members eq` filter AWS answers (GET /Groups never lists
// members).
func (c *Client) HasMember(ctx context.Context, groupID, userID string) (bool, error) {
	got, err := c.FindGroups(ctx, Filter("id", groupID)+" and "+Filter("members", userID))
	for _, g := range got {
		if g.ID == groupID {
			return true, err
		}
	}
	return false, err
}

// AddMembers adds users (target ids) to the group, at most
// MaxMemberChanges per PATCH; done is called after each accepted PATCH
// with the ids it added.
func (c *Client) AddMembers(ctx context.Context, groupID string, userIDs []string, done func([]string) error) error {
	for chunk := range chunks(userIDs, MaxMemberChanges) {
		members := make([]Member, len(chunk))
		for i, id := range chunk {
			members[i] = Member{Value: id}
		}
		if err := c.PatchGroup(ctx, groupID, Operation{Op: "add", Path: "members", Value: members}); err != nil {
			return err
		}
		if err := done(chunk); err != nil {
			return err
		}
	}
	return nil
}

// RemoveMembers removes users from the group, one filtered remove per
// member (never a bare remove of "members", which AWS refuses), at most
// MaxMemberChanges per PATCH. When remaining is 0 after the removal, the
// last member leaves in a request of its own, so that no request removes
// every member at once.
func (c *Client) RemoveMembers(ctx context.Context, groupID string, userIDs []string, remaining int, done func([]string) error) error {
	last := []string(nil)
	if remaining == 0 && len(userIDs) > 1 {
		userIDs, last = userIDs[:len(userIDs)-1], userIDs[len(userIDs)-1:]
	}
	for _, batch := range [][]string{userIDs, last} {
		for chunk := range chunks(batch, MaxMemberChanges) {
			if err := c.removeChunk(ctx, groupID, chunk); err != nil {
				return err
			}
			if err := done(chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeChunk removes members with RFC 7644's filtered path, one
// operation each; a target that refuses that form (400) is asked again
// with the value-list form, which AWS documents as well.
func (c *Client) removeChunk(ctx context.Context, groupID string, ids []string) error {
	ops := make([]Operation, len(ids))
	members := make([]Member, len(ids))
	for i, id := range ids {
		ops[i] = Operation{Op: "remove", Path: `members[` + Filter("value", id) + `]`}
		members[i] = Member{Value: id}
	}
	err := c.PatchGroup(ctx, groupID, ops...)
	if StatusOf(err) != 400 {
		return err
	}
	return c.PatchGroup(ctx, groupID, Operation{Op: "remove", Path: "members", Value: members})
}

// chunks yields s in pieces of at most n.
func chunks(s []string, n int) func(func([]string) bool) {
	return func(yield func([]string) bool) {
		for len(s) > 0 {
			k := min(n, len(s))
			if !yield(s[:k]) {
				return
			}
			s = s[k:]
		}
	}
}
