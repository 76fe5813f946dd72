package scim

// GroupsService handles the /Groups endpoint (RFC 7644 section 3).
type GroupsService service
