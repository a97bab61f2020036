package scimserver

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// maxOperations bounds a PATCH request's operations.
const maxOperations = 100

type patchRequest struct {
	Schemas    []string  `json:"schemas"`
	Operations []patchOp `json:"Operations"`
}

type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`

	path *patchPath // parsed Path, nil when there is none
}

// readPatch reads a PatchOp body and checks each operation's shape: op is
// add, replace or remove; remove needs a path, add and replace a value.
func readPatch(r *http.Request) ([]patchOp, error) {
	var in patchRequest
	if err := readJSON(r, &in); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(in.Schemas, func(s string) bool { return strings.EqualFold(s, urnPatch) }) {
		return nil, invalid("schemas must hold %s", urnPatch)
	}
	if len(in.Operations) == 0 || len(in.Operations) > maxOperations {
		return nil, invalid("Operations must hold 1 to %d operations", maxOperations)
	}
	for i := range in.Operations {
		if err := in.Operations[i].check(); err != nil {
			return nil, err
		}
	}
	return in.Operations, nil
}

func (op *patchOp) check() error {
	op.Op = strings.ToLower(op.Op)
	switch op.Op {
	case "add", "replace", "remove":
	case "":
		return invalid("op is required")
	default:
		return invalid("op %.20q is not supported; use add, replace or remove", op.Op)
	}
	if op.Path != "" {
		p, err := parsePatchPath(op.Path)
		if err != nil {
			return err
		}
		op.path = &p
	} else if op.Op == "remove" {
		return invalid("path is required for remove")
	}
	if op.Op != "remove" && !present(op.Value) {
		return invalid("value is required for %s", op.Op)
	}
	return nil
}

// valueObject decodes an operation's value as a JSON object.
func (op *patchOp) valueObject() (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(op.Value, &m); err != nil || m == nil {
		return nil, invalid("value must be an object when there is no path")
	}
	return m, nil
}

func (op *patchOp) value() (any, error) {
	if !present(op.Value) {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(op.Value, &v); err != nil {
		return nil, invalid("value is not valid JSON")
	}
	return v, nil
}
