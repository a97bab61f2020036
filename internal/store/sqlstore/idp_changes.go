package sqlstore

import (
	"context"

	"github.com/keyward/keyward/internal/audit"
	"github.com/keyward/keyward/internal/directory"
	"github.com/keyward/keyward/internal/errs"
)

const (
	listChangesSQL = `SELECT seq, time, kind, user_id, group_id, app_id FROM idp_changes WHERE seq > $1
ORDER BY seq LIMIT CAST($2 AS INTEGER)`
	selectAttributesSQL = `SELECT attribute FROM idp_schema_attributes ORDER BY name`
	upsertAttributeSQL  = `INSERT INTO idp_schema_attributes (name, attribute) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET attribute = excluded.attribute`
)

// Changes returns up to limit changes after the sequence number after,
// oldest first.
func (s *IdP) Changes(ctx context.Context, after int64, limit int) ([]directory.Change, error) {
	if limit < 1 {
		return nil, errs.E(errs.Invalid, "limit must be at least 1")
	}
	scan := func(sc scanner) (directory.Change, error) {
		var c directory.Change
		err := sc.Scan(&c.Seq, timeCol{&c.Time}, &c.Kind, &c.UserID, &c.GroupID, &c.AppID)
		return c, err
	}
	return collect(ctx, s.db.r, "changes", scan, listChangesSQL, after, limit)
}

// Schema returns the custom attributes.
func (s *IdP) Schema(ctx context.Context) (directory.Schema, error) {
	scan := func(sc scanner) (directory.Attribute, error) {
		var a directory.Attribute
		return a, sc.Scan(jsonCol{&a})
	}
	attrs, err := collect(ctx, s.db.r, "schema", scan, selectAttributesSQL)
	if err != nil {
		return directory.Schema{}, err
	}
	out := directory.Schema{Custom: make(map[string]directory.Attribute, len(attrs))}
	for _, a := range attrs {
		out.Custom[a.Name] = a
	}
	return out, nil
}

// PutAttribute declares or redeclares a custom attribute.
func (s *IdP) PutAttribute(ctx context.Context, a directory.Attribute) error {
	if a.Name == "" {
		return required("an attribute's name")
	}
	if err := checkText([]any{a.Title, a.Description}); err != nil {
		return err
	}
	e := audit.New(ctx, "user.schema.update", targetSchema, a.Name)
	return s.db.mutate(ctx, e, func(tx *txn) error {
		_, err := exec(ctx, tx, "put attribute", upsertAttributeSQL, a.Name, jsonCol{a})
		return err
	})
}
