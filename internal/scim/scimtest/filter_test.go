package scimtest

import "testing"

// TestCompare walks the server's filter operators over each kind of value,
// case-sensitive and not, missing values and values of another kind.
func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		have  any
		op    string
		want  any
		exact bool
		match bool
		err   bool
	}{
		{"Ann", "eq", "ann", false, true, false},
		{"Ann", "eq", "ann", true, false, false},
		{"Ann", "ne", "ann", true, true, false},
		{nil, "eq", "ann", false, false, false},
		{nil, "ne", "ann", false, true, false},
		{"ann@example.com", "co", "EXAMPLE", false, true, false},
		{"ann@example.com", "co", "EXAMPLE", true, false, false},
		{"ann@example.com", "sw", "ann@", false, true, false},
		{"ann@example.com", "ew", ".org", false, false, false},
		{"b", "gt", "a", false, true, false},
		{"a", "ge", "a", false, true, false},
		{"a", "lt", "a", false, false, false},
		{nil, "gt", "a", false, false, false},
		{12, "eq", "12", false, true, false},
		{true, "eq", true, false, true, false},
		{"False", "eq", false, false, true, false},
		{"maybe", "ne", true, false, true, false},
		{true, "gt", false, false, false, true},
		{nil, "eq", nil, false, true, false},
		{"x", "ne", nil, false, true, false},
		{nil, "co", nil, false, false, true},
		{3.0, "eq", 3, false, true, false},
		{"7", "gt", 5, false, true, false},
		{4, "le", 4.0, false, true, false},
		{"many", "eq", 5, false, false, false},
		{"many", "ne", 5, false, true, false},
		{"many", "lt", 5, false, false, false},
		{5, "co", 5, false, false, true},
		{"many", "co", 5, false, false, false},
		{nil, "sw", 5, false, false, false},
		{"NaN", "lt", 5, false, false, false},
		{"NaN", "ge", 5, false, false, false},
		{"a", "xx", "a", false, false, true},
	} {
		match, err := compare(tc.have, tc.op, tc.want, tc.exact)
		if match != tc.match || (err != nil) != tc.err {
			t.Errorf("compare(%#v %s %#v, exact %v) = %v, %v; want %v, error %v", tc.have, tc.op, tc.want, tc.exact, match, err, tc.match, tc.err)
		}
	}
}
