package scim

import (
	"net/url"
	"strings"
)

// Eq builds the filter `attr eq "value"` with the value written as a JSON
// string (RFC 7644 section 3.4.2.2 takes compValue from the JSON grammar), so
// quotes, backslashes and control characters can never end the string early:
// a crafted userName cannot widen the filter to other accounts.
func Eq(attr, value string) string {
	return attr + " eq " + quote(value)
}

// And joins filters with "and".
func And(filters ...string) string {
	return strings.Join(filters, " and ")
}

func quote(value string) string {
	b, err := marshal(value)
	if err != nil { // unreachable: a Go string always encodes
		return `""`
	}
	return string(b)
}

// encodeQuery percent-encodes query parameters with %20 for spaces: servers
// that decode "+" as a space would otherwise corrupt values like
// "a+b@example.com" (elimity-com/scim#133).
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}
