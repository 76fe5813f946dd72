package scim

import (
	"context"
	"strings"
	"sync"
	"time"
)

// ServiceProviderConfig is what a server says it supports (RFC 7643 section 5).
type ServiceProviderConfig struct {
	PatchSupported          bool
	BulkSupported           bool
	FilterSupported         bool
	FilterMaxResults        int
	ChangePasswordSupported bool
	SortSupported           bool
	ETagSupported           bool
	AuthenticationSchemes   []string
	DocumentationURI        string
	// Pagination is what the server states of paging (RFC 9865 section
	// 4); the zero value where it states nothing.
	Pagination Pagination
}

// Pagination is the pagination object of /ServiceProviderConfig (RFC 9865).
type Pagination struct {
	Cursor, Index bool
	// DefaultMethod is "cursor" or "index" ("" when not stated).
	DefaultMethod string
	// MaxPageSize is the most resources one page may ask for (0: not stated).
	MaxPageSize int
	// CursorTimeout is how long a cursor stays valid (0: not stated).
	CursorTimeout time.Duration
}

// ServiceProviderConfig reads /ServiceProviderConfig.
func (c *Client) ServiceProviderConfig(ctx context.Context) (*ServiceProviderConfig, error) {
	return c.serviceProviderConfig(ctx, false)
}

func (c *Client) serviceProviderConfig(ctx context.Context, once bool) (*ServiceProviderConfig, error) {
	resp, err := c.do(ctx, request{Method: "GET", Path: "ServiceProviderConfig", Idempotent: true, NoRetry: once})
	if err != nil {
		return nil, err
	}
	obj, ok := parseObject(resp.Body)
	if !ok {
		return nil, &Error{Method: "GET", Path: "/ServiceProviderConfig", StatusCode: resp.StatusCode, NonSCIM: true,
			Detail: "the answer is not JSON"}
	}
	supported := func(name string) bool {
		o, _ := obj.object(name)
		b, _ := o.boolean("supported")
		return b
	}
	spc := &ServiceProviderConfig{
		PatchSupported:          supported("patch"),
		BulkSupported:           supported("bulk"),
		FilterSupported:         supported("filter"),
		ChangePasswordSupported: supported("changePassword"),
		SortSupported:           supported("sort"),
		ETagSupported:           supported("etag"),
		DocumentationURI:        obj.str("documentationUri"),
	}
	if f, ok := obj.object("filter"); ok {
		spc.FilterMaxResults, _ = f.integer("maxResults")
	}
	if p, ok := obj.object("pagination"); ok {
		spc.Pagination.Cursor, _ = p.boolean("cursor")
		spc.Pagination.Index, _ = p.boolean("index")
		spc.Pagination.DefaultMethod = strings.ToLower(p.str("defaultPaginationMethod"))
		spc.Pagination.MaxPageSize, _ = p.integer("maxPageSize")
		seconds, _ := p.integer("cursorTimeout")
		spc.Pagination.CursorTimeout = time.Duration(seconds) * time.Second
	}
	schemes, _ := obj.list("authenticationSchemes")
	for _, s := range schemes {
		if m, ok := s.(map[string]any); ok {
			spc.AuthenticationSchemes = append(spc.AuthenticationSchemes, firstNonEmpty(jsonObject(m).str("type"), jsonObject(m).str("name")))
		}
	}
	return spc, nil
}

// schemaCache remembers /Schemas for the life of the client.
type schemaCache struct {
	once  sync.Once
	urns  map[string]bool
	known bool
}

// KnownSchemas returns the schema URNs the server lists at /Schemas
// (lower-cased), and false when the server does not say (no endpoint, an
// error, or a non-JSON answer). It is read once per client.
func (c *Client) KnownSchemas(ctx context.Context) (map[string]bool, bool) {
	c.schemas.once.Do(func() {
		resp, err := c.do(ctx, request{Method: "GET", Path: "Schemas", Idempotent: true, NoRetry: true})
		if err != nil {
			c.log.DebugContext(ctx, "no /Schemas from the server; extension URNs are not checked", "error", err.Error())
			return
		}
		obj, ok := parseObject(resp.Body)
		if !ok {
			return
		}
		urns := map[string]bool{}
		list, _ := obj.list("Resources")
		for _, item := range list {
			if m, ok := item.(map[string]any); ok {
				if id := jsonObject(m).str("id"); id != "" {
					urns[strings.ToLower(id)] = true
				}
			}
		}
		if len(urns) > 0 {
			c.schemas.urns, c.schemas.known = urns, true
		}
	})
	return c.schemas.urns, c.schemas.known
}

// Discover reads /ServiceProviderConfig once and refines the dialect with
// what the server says: no PATCH means PUT updates, ETag support enables
// If-Match, filter.maxResults caps the page size. Fields in explicit are the
// user's own settings and win. A missing, failing or non-JSON answer leaves
// the dialect as it is: many servers have no discovery endpoint.
func (c *Client) Discover(ctx context.Context, explicit map[string]bool) {
	if !c.dialect.Discover {
		return
	}
	spc, err := c.serviceProviderConfig(ctx, true)
	if err != nil {
		c.log.DebugContext(ctx, "SCIM discovery skipped", "error", err.Error())
		return
	}
	d := c.dialect
	if !spc.PatchSupported && !explicit["update_method"] {
		d.UpdateMethod = UpdatePut
	}
	if spc.ETagSupported && !explicit["etag"] {
		d.SupportsETags = true
	}
	if spc.FilterMaxResults > 0 && spc.FilterMaxResults < d.PageSize && !explicit["page_size"] {
		d.PageSize = spc.FilterMaxResults
	}
	if most := spc.Pagination.MaxPageSize; most > 0 && d.PageSize > most {
		// Never more than the server takes, whoever asked for more: a
		// larger count is an error there (RFC 9865 section 4).
		if explicit["page_size"] {
			c.log.WarnContext(ctx, "the server's maxPageSize is below the page size set; pages ask for maxPageSize",
				"page_size", d.PageSize, "max_page_size", most)
		}
		d.PageSize = most
	}
	if spc.Pagination.Cursor && !spc.Pagination.Index {
		d.CursorPaging = true // the server pages by cursor only
	}
	_ = c.SetDialect(d)
	c.log.DebugContext(ctx, "SCIM discovery applied",
		"update_method", d.UpdateMethod, "etag", d.SupportsETags, "page_size", d.PageSize)
}
