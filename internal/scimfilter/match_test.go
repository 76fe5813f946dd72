package scimfilter

import (
	"encoding/json"
	"testing"
)

func decode(t *testing.T, doc string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const alice = `{"id":"1","userName":"Alice@example.com","active":true,"title":"Engineer",
  "emails":[{"value":"alice@example.com","type":"work","primary":true}],
  "meta":{"lastModified":"2026-03-01T10:00:00+01:00"},
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}`

func TestMayMatch(t *testing.T) {
	t.Parallel()
	doc := decode(t, alice)
	cases := map[string]bool{
		`userName eq "alice@example.com"`: true, // caseExact false for userName
		`id eq "1"`:                       true,
		`title eq "Manager"`:              false,
		`emails[type eq "work" and value ew "example.com"]`: true,
		`emails[type eq "home"]`:                            false,
		`active eq false`:                                   false,
		`not (active eq false)`:                             true,
		`department eq "Sales"`:                             true, // found in the extension
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Ops"`: false,
		`meta.lastModified gt "2026-03-01T08:59:59Z"`:                                    true, // compared as instants
		`meta.lastModified lt "2026-03-01T09:00:00.000Z"`:                                false,
		`groups.value eq "g1"`:                        true, // not in the listing: cannot judge
		`not (groups.value eq "g1")`:                  true,
		`groups.value eq "g1" and title eq "Manager"`: false,
		`groups.value eq "g1" or title eq "Engineer"`: true,
		`title gt true`:                               true, // operator misfit: cannot judge
		`nickName pr`:                                 false,
	}
	for f, want := range cases {
		expr, err := Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if got := MayMatch(doc, expr); got != want {
			t.Errorf("%s: MayMatch = %v, want %v", f, got, want)
		}
	}
}
