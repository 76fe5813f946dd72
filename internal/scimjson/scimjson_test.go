package scimjson

import (
	"reflect"
	"testing"
)

func TestGetAndKeyIgnoreCase(t *testing.T) {
	m := map[string]any{"userName": "a", "Emails": []any{}}
	for _, tc := range []struct {
		name, key string
		ok        bool
	}{
		{"userName", "userName", true},
		{"USERNAME", "userName", true},
		{"emails", "Emails", true},
		{"title", "title", false},
	} {
		if _, ok := Get(m, tc.name); ok != tc.ok {
			t.Errorf("Get(%q) ok = %v, want %v", tc.name, ok, tc.ok)
		}
		if k := Key(m, tc.name); k != tc.key {
			t.Errorf("Key(%q) = %q, want %q", tc.name, k, tc.key)
		}
	}
}

func TestBoolAndNumberAcceptStrings(t *testing.T) {
	for _, tc := range []struct {
		in       any
		want, ok bool
	}{
		{true, true, true}, {"False", false, true}, {" true ", false, false}, {"yes", false, false}, {1.0, false, false},
	} {
		if v, ok := Bool(tc.in); v != tc.want || ok != tc.ok {
			t.Errorf("Bool(%#v) = %v, %v; want %v, %v", tc.in, v, ok, tc.want, tc.ok)
		}
	}
	if n, ok := Number("42"); !ok || n != 42 {
		t.Errorf("Number(\"42\") = %v, %v", n, ok)
	}
	if _, ok := Number("x"); ok {
		t.Error(`Number("x") read a number`)
	}
}

func TestValuesFlattensMultiValuedAttributes(t *testing.T) {
	typ := "type"
	given := "givenName"
	emails := []any{map[string]any{"Value": "a@x", "type": "work"}, map[string]any{"value": "b@x"}}
	for _, tc := range []struct {
		name string
		v    any
		sub  *string
		want []any
	}{
		{"single", "x", nil, []any{"x"}},
		{"each item's value", emails, nil, []any{"a@x", "b@x"}},
		{"plain list", []any{"a", "b"}, nil, []any{"a", "b"}},
		{"sub-attribute of each item", emails, &typ, []any{"work", nil}},
		{"sub-attribute of a complex attribute", map[string]any{"GivenName": "Ann"}, &given, []any{"Ann"}},
		{"sub-attribute of nothing", nil, &given, nil},
	} {
		if got := Values(tc.v, tc.sub); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Values = %#v, want %#v", tc.name, got, tc.want)
		}
	}
}

func TestIsCoreSchema(t *testing.T) {
	for uri, want := range map[string]bool{
		"": true, CoreUser: true, "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP": true,
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": false,
	} {
		if IsCoreSchema(uri) != want {
			t.Errorf("IsCoreSchema(%q) = %v", uri, !want)
		}
	}
}
