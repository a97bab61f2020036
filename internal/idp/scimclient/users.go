package scimclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Filter is a SCIM equality filter, `attr eq "value"`, with the value
// quoted as a JSON string.
func Filter(attr, value string) string {
	return attr + ` eq "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
}

func userPath(id string) string  { return "/Users/" + url.PathEscape(id) }
func groupPath(id string) string { return "/Groups/" + url.PathEscape(id) }

// CreateUser creates u and returns it as the target stored it.
func (c *Client) CreateUser(ctx context.Context, u User) (User, error) {
	u.Schemas = userSchemas(u)
	var out User
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/Users", in: u, out: &out, limit: maxResourceBody})
	return out, err
}

// GetUser reads one user.
func (c *Client) GetUser(ctx context.Context, id string) (User, error) {
	var out User
	_, err := c.do(ctx, request{method: http.MethodGet, path: userPath(id), out: &out, limit: maxResourceBody})
	return out, err
}

// ReplaceUser replaces the user's attributes with u (PUT), renames
// included.
func (c *Client) ReplaceUser(ctx context.Context, id string, u User) (User, error) {
	u.Schemas, u.ID, u.Meta = userSchemas(u), id, nil
	var out User
	_, err := c.do(ctx, request{method: http.MethodPut, path: userPath(id), in: u, out: &out, limit: maxResourceBody})
	return out, err
}

// PatchUser applies ops to the user.
func (c *Client) PatchUser(ctx context.Context, id string, ops ...Operation) error {
	var out User
	_, err := c.do(ctx, request{method: http.MethodPatch, path: userPath(id), in: patch(ops...), out: &out, limit: maxResourceBody})
	return err
}

// DeleteUser deletes the user.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	_, err := c.do(ctx, request{method: http.MethodDelete, path: userPath(id)})
	return err
}

// FindUsers lists the users a filter (see Filter) matches: one page of at
// most 100, which an equality filter on a unique attribute never fills.
func (c *Client) FindUsers(ctx context.Context, filter string) ([]User, error) {
	var out ListResponse[User]
	q := url.Values{"filter": {filter}}
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/Users", query: q, out: &out, limit: maxListBody})
	return out.Resources, err
}

// ListUsers calls fn with every page of users.
func (c *Client) ListUsers(ctx context.Context, fn func([]User) error) error {
	return listAll(ctx, c, "/Users", fn)
}

// findOne returns the first user a filter matches.
func (c *Client) findUser(ctx context.Context, attr, value string) (User, bool, error) {
	if value == "" {
		return User{}, false, nil
	}
	got, err := c.FindUsers(ctx, Filter(attr, value))
	if err != nil || len(got) == 0 {
		return User{}, false, err
	}
	return got[0], true, nil
}

func userSchemas(u User) []string {
	if u.Enterprise != nil {
		return []string{SchemaUser, SchemaEnterprise}
	}
	return []string{SchemaUser}
}

// pageSize is the count asked for when listing everything.
const pageSize = 100

// maxListPages bounds a listing: 10,000 pages of 100 is twice the users
// an Identity Center directory may hold, so a target still answering
// "more" past it is broken or hostile.
const maxListPages = 10_000

// listAll pages through a list: by cursor when the target answers with
// nextCursor, else by startIndex until totalResults. The first request
// sends an empty cursor: AWS answers in the cursor form only when asked,
// and otherwise gives one page whose totalResults counts just that page.
// A cursor answered twice, or a list longer than maxListPages, is an
// error rather than a loop or a silently cut list.
func listAll[T any](ctx context.Context, c *Client, path string, fn func([]T) error) error {
	q := url.Values{"count": {"100"}, "cursor": {""}}
	seen := 0
	for range maxListPages {
		var out ListResponse[T]
		if _, err := c.do(ctx, request{method: http.MethodGet, path: path, query: q, out: &out, limit: maxListBody}); err != nil {
			return err
		}
		if err := fn(out.Resources); err != nil {
			return err
		}
		seen += len(out.Resources)
		switch {
		case out.NextCursor != "" && out.NextCursor == q.Get("cursor"):
			return fmt.Errorf("the SCIM target answered %s with the cursor it was asked for: its paging does not advance", path)
		case out.NextCursor != "":
			q = url.Values{"count": {"100"}, "cursor": {out.NextCursor}}
		case len(out.Resources) > 0 && seen < out.TotalResults:
			q = url.Values{"count": {"100"}, "startIndex": {itoa(seen + 1)}}
		default:
			return nil
		}
	}
	return fmt.Errorf("the SCIM target's %s did not end after %d pages", path, maxListPages)
}
