package scimtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func get(t *testing.T, srv *TestServer, path string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	var doc map[string]any
	_ = json.Unmarshal(body, &doc)
	return resp.StatusCode, doc
}

// TestFilters evaluates the RFC 7644 filter forms the server supports.
func TestFilters(t *testing.T) {
	srv := NewTestServer(t, Options{})
	srv.Put("Users", map[string]any{"userName": "Alice@Example.com", "active": true, "title": "Engineer",
		"emails": []any{map[string]any{"value": "alice@work.example", "type": "work"}}, "meta": map[string]any{}})
	srv.Put("Users", map[string]any{"userName": "bob@example.com", "active": false,
		"emails": []any{map[string]any{"value": "bob@home.example", "type": "home"}}})
	cases := map[string]int{
		`userName eq "alice@example.com"`:                     1, // case-insensitive
		`userName ne "alice@example.com"`:                     1,
		`userName co "example"`:                               2,
		`userName sw "bob"`:                                   1,
		`userName ew ".COM"`:                                  2,
		`title pr`:                                            1,
		`active eq false`:                                     1,
		`emails[type eq "work" and value co "alice"]`:         1,
		`emails.value ew "home.example"`:                      1,
		`not (active eq true)`:                                1,
		`active eq true or userName sw "b"`:                   2,
		`meta.lastModified gt "2000-01-01T00:00:00Z"`:         2,
		`meta.lastModified lt "2000-01-01T00:00:00Z"`:         0,
		`userName eq "x\" or userName pr or userName eq \"y"`: 0,
	}
	for filter, want := range cases {
		status, doc := get(t, srv, "/Users?filter="+url.QueryEscape(filter))
		if status != 200 {
			t.Errorf("%s: status %d %v", filter, status, doc)
			continue
		}
		if got := int(doc["totalResults"].(float64)); got != want {
			t.Errorf("%s: %d results, want %d", filter, got, want)
		}
	}
	if status, doc := get(t, srv, "/Users?filter="+url.QueryEscape(`userName eq`)); status != 400 || doc["scimType"] != "invalidFilter" {
		t.Errorf("bad filter: %d %v", status, doc)
	}
}

// TestPatchFilteredPaths applies PATCH with value filters and checks uniqueness and counts.
func TestPatchFilteredPaths(t *testing.T) {
	srv := NewTestServer(t, Options{})
	id := srv.Put("Groups", map[string]any{"displayName": "G", "members": []any{
		map[string]any{"value": "a"}, map[string]any{"value": "b"}}})
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"Remove","path":"members[value eq \"a\"]"},
		{"op":"add","path":"members","value":[{"value":"c"},{"value":"b"}]}]}`
	req, _ := http.NewRequest("PATCH", srv.URL+"/Groups/"+id, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	var values []string
	for _, m := range asList(srv.Get("Groups", id)["members"]) {
		values = append(values, m.(map[string]any)["value"].(string))
	}
	if strings.Join(values, ",") != "b,c" {
		t.Errorf("members %v, want b,c", values)
	}
	if srv.Count("PATCH") != 1 {
		t.Errorf("PATCH count %d", srv.Count("PATCH"))
	}
}
