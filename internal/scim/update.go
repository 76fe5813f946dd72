package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// Update changes a user from what from describes to what to describes: one
// PATCH on most servers; GET, local merge and PUT when the dialect says so
// or the server answers PATCH with 405/501 (the client then keeps using PUT).
func (s *UsersService) Update(ctx context.Context, id string, from, to *User) (*User, error) {
	ops := UserPatch(from, to)
	if len(ops) == 0 {
		return s.Get(ctx, id)
	}
	if !s.client.usePut.Load() {
		u, err := s.Patch(ctx, id, ops)
		if !errors.Is(err, ErrUnsupported) {
			return u, err
		}
		s.client.usePut.Store(true)
	}
	return s.replaceWithOps(ctx, id, ops)
}

// replaceWithOps reads the user as the server has it, applies ops locally
// and PUTs the result, so attributes this provider does not manage survive
// the full replace (RFC 7644 section 3.5.1 lets a PUT clear what it omits).
func (s *UsersService) replaceWithOps(ctx context.Context, id string, ops []Operation) (*User, error) {
	resp, err := s.client.do(ctx, request{Method: "GET", Path: userPath(id), Idempotent: true})
	if err != nil {
		return nil, err
	}
	doc, ok := parseObject(resp.Body)
	if !ok {
		return nil, &Error{Method: "GET", Path: "/" + userPath(id), StatusCode: resp.StatusCode, NonSCIM: true, Detail: "the answer is not JSON"}
	}
	delete(doc, "meta")
	sensitive := false
	for _, o := range ops {
		applyLocal(doc, o)
		sensitive = sensitive || strings.EqualFold(o.Path, "password")
	}
	header := http.Header{}
	if v := resp.Header.Get("ETag"); v != "" && s.client.dialect.SupportsETags {
		header.Set("If-Match", v)
	}
	resp, err = s.client.do(ctx, request{Method: "PUT", Path: userPath(id), Body: map[string]any(doc), Idempotent: true,
		Header: header, Sensitive: sensitive})
	if err != nil {
		return nil, err
	}
	if u, err := s.decode("PUT", resp.Body); err == nil {
		return u, nil
	}
	return s.Get(ctx, id)
}

// applyLocal applies one operation built by UserPatch to a decoded document.
// Those operations use plain paths only: "attr", "attr.sub", "<urn>:attr"
// and "<urn>:attr.sub", never value filters.
func applyLocal(doc jsonObject, o Operation) {
	target := map[string]any(doc)
	path := o.Path
	if i := strings.LastIndex(path, ":"); i > 0 && strings.HasPrefix(strings.ToLower(path), "urn:") {
		urn := path[:i]
		path = path[i+1:]
		if !strings.EqualFold(urn, SchemaUser) {
			ext, _ := doc.object(urn)
			if ext == nil {
				ext = jsonObject{}
				doc[urn] = map[string]any(ext)
				addSchemaURN(doc, urn)
			}
			target = ext
		}
	}
	if parent, sub, ok := strings.Cut(path, "."); ok {
		m, _ := jsonObject(target).object(parent)
		if m == nil {
			m = jsonObject{}
			target[parent] = map[string]any(m)
		}
		target, path = m, sub
	}
	key := path
	for k := range target {
		if strings.EqualFold(k, path) {
			key = k
		}
	}
	if o.Op == "remove" {
		delete(target, key)
		return
	}
	target[key] = o.Value
}

func addSchemaURN(doc jsonObject, urn string) {
	list, _ := doc.list("schemas")
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return
		}
	}
	doc["schemas"] = append(list, urn)
}
