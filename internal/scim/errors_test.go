package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status      int
		contentType string
		body        string
		wantStatus  int
		wantType    string
		wantDetail  string
		notFound    bool
		nonSCIM     bool
	}{
		"status as string": {409, "application/scim+json",
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"taken"}`,
			409, "uniqueness", "taken", false, false},
		"status as number": {400, "application/json", `{"status":400,"scimType":"invalidValue","detail":"bad email"}`,
			400, "invalidValue", "bad email", false, false},
		"lower-case keys nested": {400, "application/json", `{"error":{"STATUS":"400","SCIMTYPE":"invalidPath","Detail":"no such path"}}`,
			400, "invalidPath", "no such path", false, false},
		"json 404": {404, "application/scim+json", `{"status":"404","detail":"User 1 not found"}`,
			404, "", "User 1 not found", true, false},
		"empty 404": {404, "", ``, 404, "", "", true, false},
		"html 404": {404, "text/html", `<html><body><h1>Not Found</h1><p>nginx</p></body></html>`,
			404, "", "Not Found nginx", false, true},
		"plain-text 429": {429, "text/plain", `Too Many Requests`, 429, "", "Too Many Requests", false, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			c.cfg.MaxRetries = 0
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				writeBody(w, tc.status, tc.contentType, tc.body)
			})
			_, err := c.Users.Get(context.Background(), "1")
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not *Error", err)
			}
			if se.StatusCode != tc.wantStatus || se.ScimType != tc.wantType || se.Detail != tc.wantDetail || se.NonSCIM != tc.nonSCIM {
				t.Errorf("got %+v", se)
			}
			if errors.Is(err, ErrNotFound) != tc.notFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", !tc.notFound, tc.notFound)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tc.wantStatus)) {
				t.Errorf("message %q lacks the status", err)
			}
		})
	}
}

func TestErrorInSuccessBody(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"backend down"}`)
	})
	_, err := c.Users.Get(context.Background(), "1")
	var se *Error
	if !errors.As(err, &se) || se.StatusCode != 500 || se.Detail != "backend down" {
		t.Fatalf("got %v", err)
	}
}

func TestMayBeErrorDocument(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400"}`: true,
		`{"schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:ERROR"]}`:                true,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1"}`:        false,
		`{"note":"ends in 2.0:"}`: false,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","urn:x:2.0:error"]}`: true,
		``: false,
	}
	for body, want := range cases {
		if got := mayBeErrorDocument([]byte(body)); got != want {
			t.Errorf("mayBeErrorDocument(%s) = %v, want %v", body, got, want)
		}
	}
}
