package scim

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimjson"
)

// readModifyWrite is how apps without PATCH are written: GET the resource
// at path, let modify change the document locally, and PUT it back whole,
// with If-Match and the version read when the app uses ETags. Read-only
// "meta" is not sent back. It returns the PUT answer's body.
//
// Cycles on one object never overlap within this client (objectLocks), so
// one PUT cannot drop what another just wrote; a 412 (someone outside this
// provider changed the object since the GET) reads it again and redoes the
// change, up to MaxRetries times.
func (c *Client) readModifyWrite(ctx context.Context, path string, modify func(jsonObject) error, sensitive bool) ([]byte, error) {
	unlock, err := c.objects.lock(ctx, path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ctx = withRetryBudget(ctx)
	for attempt := 0; ; attempt++ {
		body, err := c.readModifyWriteOnce(ctx, path, modify, sensitive)
		var se *Error
		if attempt < c.cfg.MaxRetries && errors.As(err, &se) && se.StatusCode == http.StatusPreconditionFailed && c.spendRetry(ctx) {
			c.log.DebugContext(ctx, "the object changed between GET and PUT; reading it again", "path", path)
			continue
		}
		return body, err
	}
}

func (c *Client) readModifyWriteOnce(ctx context.Context, path string, modify func(jsonObject) error, sensitive bool) ([]byte, error) {
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
	key := scimjson.Key(target, path)
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
