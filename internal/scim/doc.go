// Package scim is a small SCIM 2.0 client (RFC 7643, RFC 7644) for provisioning
// users and groups into SaaS applications.
//
// It knows nothing about Terraform. Server differences ("quirks") are described
// by a Dialect value, never by branches elsewhere, so that callers can stay
// generic. Every request goes through one Client, which owns the shared rate
// limiter, the retry policy and the log masking of credentials.
package scim
