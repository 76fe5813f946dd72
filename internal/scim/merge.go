package scim

import (
	"context"
	"net/http"
	"strings"
)

// readModifyWrite is how apps without PATCH are written: GET the resource
// at path, let modify change the document locally, and PUT it back whole,
// with If-Match and the version read when the app uses ETags (a 412 then
// means someone else changed it in between). Read-only "meta" is not sent
// back. It returns the PUT answer's body.
func (c *Client) readModifyWrite(ctx context.Context, path string, modify func(jsonObject) error, sensitive bool) ([]byte, error) {
	resp, err := c.do(ctx, request{Method: "GET", Path: path, Idempotent: true})
	if err != nil {
		return nil, err
	}
	doc, ok := parseObject(resp.Body)
	if !ok {
		return nil, &Error{Method: "GET", Path: "/" + path, StatusCode: resp.StatusCode, NonSCIM: true, Detail: "the answer is not JSON"}
	}
	version := resp.Header.Get("ETag")
	if meta, ok := doc.object("meta"); ok && version == "" {
		version = meta.str("version")
	}
	delete(doc, "meta")
	if err := modify(doc); err != nil {
		return nil, err
	}
	header := http.Header{}
	if version != "" && c.dialect.SupportsETags {
		header.Set("If-Match", version)
	}
	resp, err = c.do(ctx, request{Method: "PUT", Path: path, Body: map[string]any(doc), Idempotent: true,
		Header: header, Sensitive: sensitive})
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
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
