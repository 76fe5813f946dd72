package scimtest

import (
	"net/url"
)

func urlPathUnescape(s string) (string, error) { return url.PathUnescape(s) }

func (s *Server) serviceProviderConfig() map[string]any {
	opts := s.Options()
	docs := opts.DocumentationURI
	if docs == "" {
		docs = "https://github.com/scim-terraform/terraform-provider-scim"
	}
	maxResults := 1000
	if opts.PageCap > 0 {
		maxResults = opts.PageCap
	}
	spc := map[string]any{
		"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": docs,
		"patch":            map[string]any{"supported": !opts.PatchUnsupportedInSPC && !opts.NoPatch},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": maxResults},
		"changePassword":   map[string]any{"supported": true},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token", "description": "Bearer token in the Authorization header",
		}},
	}
	if opts.MaxPageSize > 0 || opts.CursorTimeout > 0 {
		// RFC 9865 section 4.
		cursorOnly := opts.CursorPagingUsers || opts.CursorPagingGroups
		pagination := map[string]any{"cursor": cursorOnly || opts.CursorTimeout > 0, "index": !cursorOnly,
			"defaultPaginationMethod": map[bool]string{true: "cursor", false: "index"}[cursorOnly]}
		if opts.MaxPageSize > 0 {
			pagination["maxPageSize"] = opts.MaxPageSize
		}
		if opts.CursorTimeout > 0 {
			pagination["cursorTimeout"] = max(1, int(opts.CursorTimeout.Seconds()))
		}
		spc["pagination"] = pagination
	}
	return spc
}

// DemoExtensionURN is a custom user extension the server lists at /Schemas,
// used by the examples.
const DemoExtensionURN = "urn:example:params:scim:schemas:extension:custom:2.0:User"

func schemasDocs(extra []string) []map[string]any {
	docs := []map[string]any{
		{"id": coreUserURN, "name": "User"},
		{"id": coreGroupURN, "name": "Group"},
		{"id": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "name": "EnterpriseUser"},
		{"id": DemoExtensionURN, "name": "CustomUser"},
	}
	for _, urn := range extra {
		docs = append(docs, map[string]any{"id": urn, "name": urn})
	}
	return docs
}

func resourceTypeDocs() []map[string]any {
	return []map[string]any{
		{"id": "User", "name": "User", "endpoint": "/Users", "schema": coreUserURN,
			"schemaExtensions": []any{map[string]any{"schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "required": false}}},
		{"id": "Group", "name": "Group", "endpoint": "/Groups", "schema": coreGroupURN},
	}
}
