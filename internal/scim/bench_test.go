package scim

import (
	"fmt"
	"strings"
	"testing"
)

func listPage(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%08d-aaaa-bbbb-cccc-dddddddddddd",`+
			`"userName":"user%d@example.com","displayName":"User %d","active":true,"title":"Engineer",`+
			`"name":{"givenName":"User","familyName":"N%d","formatted":"User N%d"},`+
			`"emails":[{"value":"user%d@example.com","type":"work","primary":true}],`+
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Platform","manager":{"value":"m1"}},`+
			`"meta":{"resourceType":"User","created":"2026-01-01T00:00:00Z","lastModified":"2026-01-01T00:00:00Z","version":"W/\"1\""}}`,
			i, i, i, i, i, i)
	}
	return []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":100,"startIndex":1,` +
		`"itemsPerPage":100,"Resources":[` + strings.Join(items, ",") + `]}`)
}

// BenchmarkDecodeListPage decodes one ListResponse page of 100 users.
func BenchmarkDecodeListPage(b *testing.B) {
	page := listPage(100)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		obj, _ := parseObject(page)
		list, _ := obj.list("Resources")
		for _, r := range list {
			_ = decodeUser(jsonObject(r.(map[string]any)))
		}
	}
}

// BenchmarkEq builds a filter with escaping.
func BenchmarkEq(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Eq("userName", `o"brien\admin@example.com`)
	}
}

// BenchmarkUserPatch diffs two full users.
func BenchmarkUserPatch(b *testing.B) {
	from := &User{UserName: "a", Title: "x", Name: Name{GivenName: "A"}, Emails: []MultiValue{{Value: "a@x", Type: "work", Primary: true}},
		Enterprise: Enterprise{Department: "d"}, Extensions: map[string]map[string]any{"urn:x": {"k": "v"}}}
	to := *from
	to.Title = "y"
	b.ReportAllocs()
	for b.Loop() {
		_ = UserPatch(from, &to)
	}
}
