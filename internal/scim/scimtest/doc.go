// Package scimtest is an in-memory SCIM 2.0 service provider for tests, demos
// and users who want to try the provider without a SaaS tenant.
//
// It speaks the wire format on its own and does not import the client
// package, so that a mistake shared by client and server cannot hide. Quirks
// of real servers are switched on through Options; every request is counted
// so tests can assert how many requests an operation cost.
package scimtest
