package scim

import (
	"context"
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
}

// ServiceProviderConfig reads /ServiceProviderConfig.
func (c *Client) ServiceProviderConfig(ctx context.Context) (*ServiceProviderConfig, error) {
	resp, err := c.do(ctx, request{Method: "GET", Path: "ServiceProviderConfig", Idempotent: true})
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
	schemes, _ := obj.list("authenticationSchemes")
	for _, s := range schemes {
		if m, ok := s.(map[string]any); ok {
			spc.AuthenticationSchemes = append(spc.AuthenticationSchemes, firstNonEmpty(jsonObject(m).str("type"), jsonObject(m).str("name")))
		}
	}
	return spc, nil
}
