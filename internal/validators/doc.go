// Package validators holds the provider's attribute validators that
// terraform-plugin-framework-validators has no equivalent of: Go durations,
// non-blank strings and SCIM ids, one primary value per multi-valued
// attribute, extension values that are JSON objects, and SCIM filters.
// Each states its rule in Description, which tfplugindocs shows; the
// diagnostics it returns name the attribute and say what to write instead.
package validators
