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

// What a listing cannot show is kept: members an app lists as [] (AWS),
// an absent active (taken as active), an extension returned only on
// request, a roles attribute under the app's own name.
func TestMayMatchKeepsWhatAListingCannotShow(t *testing.T) {
	t.Parallel()
	group := decode(t, `{"id":"g1","displayName":"Eng","members":[]}`)
	user := decode(t, `{"id":"U1","userName":"bob","addresses":[{"locality":"Oslo"}]}`)
	cases := []struct {
		doc  map[string]any
		f    string
		want bool
	}{
		{group, `members.value eq "u1"`, true},
		{group, `members[value eq "u1"]`, true},
		{group, `displayName eq "Ops" and members.value eq "u1"`, false},
		{user, `active eq true`, true},
		{user, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Eng"`, true},
		{user, `meta.lastModified gt "2026-01-01T00:00:00Z"`, true},
		{user, `addresses pr`, true},
		{user, `id eq "u1"`, true}, // an app may compare ids without case
		{user, `title eq "Engineer"`, false},
	}
	for _, c := range cases {
		expr, err := Parse(c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.f, err)
		}
		if got := MayMatch(c.doc, expr); got != c.want {
			t.Errorf("%s: MayMatch = %v, want %v", c.f, got, c.want)
		}
	}
}
