package scim

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestPagingCappedServer(t *testing.T) {
	t.Parallel()
	for name, omitTotal := range map[string]bool{"with totalResults": false, "without totalResults": true} {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			const total, pageCap = 23, 7
			var pages atomic.Int32
			mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
				pages.Add(1)
				start := atoi(r.URL.Query().Get("startIndex"))
				var items []string
				for i := start; i < start+pageCap && i <= total; i++ {
					items = append(items, fmt.Sprintf(`{"id":"%d","userName":"u%d"}`, i, i))
				}
				totalField := fmt.Sprintf(`"totalResults":"%d",`, total) // a string, as sloppy servers send
				if omitTotal {
					totalField = ""
				}
				writeBody(w, 200, "application/json", fmt.Sprintf(`{%s"resources":[%s]}`, totalField, strings.Join(items, ",")))
			})
			users, err := c.Users.List(context.Background(), ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != total {
				t.Fatalf("got %d users, want %d", len(users), total)
			}
			wantPages := int32(4) // ceil(23/7)
			if omitTotal {
				wantPages = 5 // one more to see the empty page
			}
			if pages.Load() != wantPages {
				t.Errorf("%d page requests, want %d", pages.Load(), wantPages)
			}
		})
	}
}

func TestPagingDedupesAndStopsOnRepeats(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	// A server that ignores startIndex returns the same page forever.
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"Resources":[{"id":"1","userName":"a"},{"id":"2","userName":"b"}]}`)
	})
	users, err := c.Users.List(context.Background(), ListOptions{})
	if err != nil || len(users) != 2 {
		t.Fatalf("got %d users, %v", len(users), err)
	}
}

func TestAbsurdTotalResults(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"totalResults":99999999999,"Resources":[{"id":"1"}]}`)
	})
	if _, err := c.Users.List(context.Background(), ListOptions{}); err == nil || !strings.Contains(err.Error(), "totalResults") {
		t.Fatalf("got %v, want an implausible totalResults error", err)
	}
}

func TestFilterEscaping(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`plain@example.com`:                   `userName eq "plain@example.com"`,
		`quo"te`:                              `userName eq "quo\"te"`,
		`back\slash`:                          `userName eq "back\\slash"`,
		"ctl\x01\n\t":                         `userName eq "ctl\u0001\n\t"`,
		`x" or userName pr or userName eq "y`: `userName eq "x\" or userName pr or userName eq \"y"`,
		`<html>&`:                             `userName eq "<html>&"`,
		`a+b@example.com`:                     `userName eq "a+b@example.com"`,
	}
	for in, want := range cases {
		if got := Eq("userName", in); got != want {
			t.Errorf("Eq(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestFilterQueryEncoding(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var rawQuery string
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		rawQuery = r.URL.RawQuery
		writeBody(w, 200, "application/json", `{"totalResults":0,"Resources":[]}`)
	})
	if _, err := c.Users.FindByUserName(context.Background(), "a+b c@example.com"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rawQuery, "filter=userName%20eq%20%22a%2Bb%20c%40example.com%22") {
		t.Errorf("query %q: spaces must be %%20 and + must be %%2B", rawQuery)
	}
}
