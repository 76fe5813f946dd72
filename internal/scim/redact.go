package scim

import (
	"regexp"
)

// passwordJSON matches a JSON "password" member with its string value, in
// any key case, so request bodies can be logged without the password.
var passwordJSON = regexp.MustCompile(`(?i)("password"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// redactPasswords replaces password values in a JSON text.
func redactPasswords[T ~string | ~[]byte](body T) string {
	return passwordJSON.ReplaceAllString(string(body), `${1}"***"`)
}
