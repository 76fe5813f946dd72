package scim

import (
	"encoding/json"
	"strings"
	"testing"

	filter "github.com/scim2/filter-parser/v2"
)

// FuzzDecodeUser: any bytes decode without panicking, and a decoded user
// encodes to JSON that decodes to the same user.
func FuzzDecodeUser(f *testing.F) {
	f.Add([]byte(`{"id":"1","userName":"a","active":"True","emails":[{"value":"a@x","primary":"false"}]}`))
	f.Add([]byte(`{"ID":2,"USERNAME":"b","name":{"givenName":"B"},"urn:x":{"k":[1,{"z":null}]}}`))
	f.Add([]byte(`{"id":"3","emails":["bare@x"],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"m"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := parseObject(data)
		if !ok {
			return
		}
		u := decodeUser(obj)
		encoded, err := marshal(u.ToJSON())
		if err != nil {
			t.Fatalf("encoding a decoded user: %v", err)
		}
		back, ok := parseObject(encoded)
		if !ok {
			t.Fatalf("re-decoding %s", encoded)
		}
		again := decodeUser(back)
		if again.UserName != u.UserName || again.IsActive() != u.IsActive() || len(again.Emails) != len(u.Emails) {
			t.Fatalf("round trip changed the user: %+v vs %+v", u, again)
		}
	})
}

// FuzzDecodeListResponse: paging decodes any page without panicking.
func FuzzDecodeListResponse(f *testing.F) {
	f.Add([]byte(`{"totalResults":"2","Resources":[{"id":"1"},{"id":"1"}]}`))
	f.Add([]byte(`{"resources":null,"totalResults":-1}`))
	f.Add([]byte(`{"totalResults":99999999999999999999,"Resources":[1,"x",{"id":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, ok := parseObject(data)
		if !ok {
			return
		}
		list, _ := obj.list("Resources")
		_, _ = obj.integer("totalResults")
		for _, r := range list {
			if m, ok := r.(map[string]any); ok {
				_ = decodeUser(jsonObject(m))
				_ = decodeGroup(jsonObject(m))
			}
		}
	})
}

// FuzzDecodeError: any error body gives an *Error whose message stays short.
func FuzzDecodeError(f *testing.F) {
	f.Add(404, []byte(`<html><body>Not found</body></html>`))
	f.Add(409, []byte(`{"status":"409","scimType":"uniqueness","detail":"taken"}`))
	f.Add(400, []byte(`{"error":{"status":400,"detail":"x"}}`))
	f.Add(500, []byte(`{"errors":[{"message":"boom"}]}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeError("GET", "/Users/1", status, body)
		if len(e.Detail) > maxDetailLength+len("…") {
			t.Fatalf("detail of %d bytes exceeds the cap", len(e.Detail))
		}
		_ = e.Error()
	})
}

// FuzzEq: the filter built for any value parses as exactly one
// `userName eq <value>` comparison whose value is the input, so no value
// can widen the filter to other accounts.
func FuzzEq(f *testing.F) {
	for _, s := range []string{`plain`, `quo"te`, `back\slash`, "ctl\x00\x1f", `x" or userName pr or userName eq "y`, `ünï`, `a+b c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if !json.Valid([]byte(quote(value))) {
			t.Fatalf("value %q is not quoted as a JSON string: %s", value, quote(value))
		}
		expr, err := filter.ParseFilter([]byte(Eq("userName", value)))
		if err != nil {
			// The parser rejects some valid JSON strings (for example
			// some control or non-ASCII characters); rejection is safe.
			return
		}
		ae, ok := expr.(*filter.AttributeExpression)
		if !ok {
			t.Fatalf("filter for %q parsed as %T, not one comparison", value, expr)
		}
		raw, _ := ae.CompareValue.(string)
		var got string
		if err := json.Unmarshal([]byte(`"`+raw+`"`), &got); err != nil {
			t.Fatalf("compare value %q is not a JSON string body: %v", raw, err)
		}
		if !strings.EqualFold(ae.AttributePath.AttributeName, "userName") || ae.Operator != "eq" || got != value {
			t.Fatalf("filter for %q selects %s %s %q", value, ae.AttributePath.AttributeName, ae.Operator, got)
		}
	})
}
