package scim

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"golang.org/x/time/rate"
)

const testToken = "s3cr3t-token-value"

// setup starts a mux behind an httptest server and a client pointing at
// it, with short retry waits (go-github's pattern).
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{
		Endpoint: srv.URL + "/scim/v2", Token: testToken, MaxRetries: 3,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

func writeBody(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestErrorShapes(t *testing.T) {
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

func TestRetryAfter(t *testing.T) {
	for name, header := range map[string]func() string{
		"seconds": func() string { return "1" },
		"date":    func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			c.cfg.RetryWaitMax = 3 * time.Second
			var calls atomic.Int32
			var first time.Time
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					first = time.Now()
					w.Header().Set("Retry-After", header())
					writeBody(w, 429, "text/plain", "slow down")
					return
				}
				writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
			})
			if _, err := c.Users.Get(context.Background(), "1"); err != nil {
				t.Fatal(err)
			}
			waited := time.Since(first)
			// An HTTP date has one-second resolution, so "in 2s" may mean 1s to 2s.
			if calls.Load() != 2 || waited < 900*time.Millisecond || waited > 2500*time.Millisecond {
				t.Errorf("calls %d, waited %v; want 2 calls about 1s apart", calls.Load(), waited)
			}
		})
	}
}

func TestRetryAfterIsCapped(t *testing.T) {
	c, _ := setup(t)
	h := http.Header{}
	h.Set("Retry-After", "86400")
	if d, ok := c.retryAfter(h); !ok || d != c.cfg.RetryWaitMax {
		t.Errorf("retryAfter = %v, %v; want the cap %v", d, ok, c.cfg.RetryWaitMax)
	}
}

func TestRateLimitPausesEveryCaller(t *testing.T) {
	c, mux := setup(t)
	c.cfg.RetryWaitMax = time.Second
	var limited atomic.Bool
	var afterPause atomic.Int32
	var pausedAt atomic.Int64
	mux.HandleFunc("/scim/v2/Users/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/scim/v2/Users/first" && limited.CompareAndSwap(false, true) {
			pausedAt.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			writeBody(w, 429, "text/plain", "slow down")
			return
		}
		if r.URL.Path == "/scim/v2/Users/second" && time.Since(time.Unix(0, pausedAt.Load())) >= 900*time.Millisecond {
			afterPause.Add(1)
		}
		writeBody(w, 200, "application/scim+json", `{"id":"x","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "first"); err != nil {
		t.Fatal(err)
	}
	// The 429 seen by "first" is over; now check a concurrent caller waits.
	limited.Store(false)
	done := make(chan error, 1)
	go func() { _, err := c.Users.Get(context.Background(), "first"); done <- err }()
	time.Sleep(50 * time.Millisecond)
	if _, err := c.Users.Get(context.Background(), "second"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if afterPause.Load() != 1 {
		t.Error("a caller that did not see the 429 was not held back by it")
	}
}

// A POST is never retried blindly after a 5xx: the user is looked up first,
// and the POST is repeated only when the lookup shows it was not created.
func TestNoBlindPostRetryAfter5xx(t *testing.T) {
	c, mux := setup(t)
	var log []string
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		log = append(log, r.Method)
		if r.Method == "POST" {
			writeBody(w, 502, "text/html", "<h1>Bad Gateway</h1>")
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":0,"Resources":[]}`)
	})
	_, err := c.Users.create(context.Background(), &User{UserName: "a"})
	var se *Error
	if !errors.As(err, &se) || se.StatusCode != 502 {
		t.Fatalf("got %v, want the 502", err)
	}
	for i, m := range log {
		if m == "POST" && i > 0 && log[i-1] != "GET" {
			t.Fatalf("requests %v: a POST followed a failed POST without a lookup", log)
		}
	}
	if want := 1 + c.cfg.MaxRetries; strings.Count(strings.Join(log, " "), "POST") != want {
		t.Errorf("requests %v: want %d POSTs, each after a lookup", log, want)
	}
}

// When the lookup after a 5xx finds the user, no second POST is sent.
func TestNoPostRetryWhenLookupFindsUser(t *testing.T) {
	c, mux := setup(t)
	var posts atomic.Int32
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
			writeBody(w, 500, "application/json", `{"status":"500","detail":"timeout after commit"}`)
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":1,"Resources":[{"id":"9","userName":"a"}]}`)
	})
	u, err := c.Users.create(context.Background(), &User{UserName: "a"})
	if err != nil || u.ID != "9" || posts.Load() != 1 {
		t.Fatalf("got %+v, %v after %d POSTs; want the existing user after 1 POST", u, err, posts.Load())
	}
}

func TestCreateLostResponseFindsUser(t *testing.T) {
	c, mux := setup(t)
	var posts atomic.Int32
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
			// The server acts, then the connection drops before the answer.
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
			return
		}
		writeBody(w, 200, "application/scim+json", `{"totalResults":1,"Resources":[{"id":"42","userName":"A"}]}`)
	})
	u, err := c.Users.create(context.Background(), &User{UserName: "a"})
	if err != nil || u.ID != "42" {
		t.Fatalf("got %+v, %v; want the user the lost POST created", u, err)
	}
	if posts.Load() != 1 {
		t.Errorf("%d POSTs, want 1", posts.Load())
	}
}

func TestIdempotentRetryOn5xx(t *testing.T) {
	c, mux := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			writeBody(w, 500, "text/plain", "oops")
			return
		}
		writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "1"); err != nil || calls.Load() != 3 {
		t.Fatalf("calls %d, err %v", calls.Load(), err)
	}
}

func TestPagingCappedServer(t *testing.T) {
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

func atoi(s string) int {
	n := 0
	_, _ = fmt.Sscan(s, &n)
	return n
}

func TestPagingDedupesAndStopsOnRepeats(t *testing.T) {
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
	c, mux := setup(t)
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"totalResults":99999999999,"Resources":[{"id":"1"}]}`)
	})
	if _, err := c.Users.List(context.Background(), ListOptions{}); err == nil || !strings.Contains(err.Error(), "totalResults") {
		t.Fatalf("got %v, want an implausible totalResults error", err)
	}
}

func TestFilterEscaping(t *testing.T) {
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

func TestFindRechecksResults(t *testing.T) {
	c, mux := setup(t)
	// A server that ignores the filter and returns everyone.
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"totalResults":2,"Resources":[{"id":"1","userName":"other"},{"id":"2","userName":"ALICE"}]}`)
	})
	u, err := c.Users.FindByUserName(context.Background(), "alice")
	if err != nil || u == nil || u.ID != "2" {
		t.Fatalf("got %+v, %v", u, err)
	}
	if u, err := c.Users.FindByUserName(context.Background(), `x" or userName pr or userName eq "y`); err != nil || u != nil {
		t.Fatalf("an injection-shaped name selected %+v (%v)", u, err)
	}
}

func TestRedirectToOtherHostRefused(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host received a request with Authorization %q", r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	c, mux := setup(t)
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/steal", http.StatusTemporaryRedirect)
	})
	_, err := c.Users.Get(context.Background(), "1")
	if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Fatalf("got %v, want a refused redirect", err)
	}
}

func TestSameHostRedirectFollowed(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/scim/v2/Users/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/scim/v2/Users/new", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/scim/v2/Users/new", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"id":"new","userName":"a"}`)
	})
	if u, err := c.Users.Get(context.Background(), "old"); err != nil || u.ID != "new" {
		t.Fatalf("got %+v, %v", u, err)
	}
}

func TestHTTPEndpointOffLoopbackRefused(t *testing.T) {
	for _, endpoint := range []string{"http://scim.example.com/scim/v2", "http://10.0.0.1/scim", "ftp://x/y", "not a url"} {
		if _, err := New(Config{Endpoint: endpoint, Token: "t"}); err == nil {
			t.Errorf("New accepted endpoint %q", endpoint)
		}
	}
	for _, endpoint := range []string{"http://127.0.0.1:8080/scim/v2", "http://localhost/scim", "http://[::1]:80/", "https://scim.example.com/v2"} {
		if _, err := New(Config{Endpoint: endpoint, Token: "t"}); err != nil {
			t.Errorf("New refused endpoint %q: %v", endpoint, err)
		}
	}
}

func TestBodyCap(t *testing.T) {
	c, mux := setup(t)
	c.cfg.MaxBodyBytes = 1024
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/json", `{"id":"1","userName":"`+strings.Repeat("a", 4096)+`"}`)
	})
	if _, err := c.Users.Get(context.Background(), "1"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("got %v, want a body-size error", err)
	}
}

func TestHeadersAndAuth(t *testing.T) {
	c, mux := setup(t)
	c.cfg.UserAgent = "terraform-provider-scim/test"
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") != "Bearer "+testToken:
			t.Errorf("Authorization %q", r.Header.Get("Authorization"))
		case r.Header.Get("Content-Type") != "application/scim+json":
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		case !strings.Contains(r.Header.Get("Accept"), "application/scim+json"):
			t.Errorf("Accept %q", r.Header.Get("Accept"))
		case r.Header.Get("User-Agent") != "terraform-provider-scim/test":
			t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
		}
		writeBody(w, 201, "application/scim+json", `{"id":"1","userName":"a"}`)
	})
	if _, err := c.Users.create(context.Background(), &User{UserName: "a"}); err != nil {
		t.Fatal(err)
	}
}

func TestBasicAuth(t *testing.T) {
	c, mux := setup(t)
	c.cfg.Token, c.cfg.Username, c.cfg.Password = "", "admin", "pw"
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "admin" || p != "pw" {
			writeBody(w, 401, "application/json", `{"status":"401"}`)
			return
		}
		writeBody(w, 200, "application/json", `{"id":"1","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
}

func TestSecretsAbsentFromLogs(t *testing.T) {
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	t.Setenv("TF_LOG_PROVIDER_SCIM_HTTP", "TRACE")
	c, mux := setup(t)
	const password = "Pa55word-in-body"
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// Echo the request, password included, as a careless server might.
		writeBody(w, 201, "application/scim+json", strings.Replace(string(body), `"schemas"`, `"id":"1","schemas"`, 1))
	})
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 400, "application/json", `{"status":"400","detail":"token `+testToken+` rejected"}`)
	})
	if _, err := c.Users.create(ctx, &User{UserName: "a", Password: password}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Users.write(ctx, "1", []Operation{{Op: "replace", Path: "password", Value: password}})
	out := logs.String()
	if !strings.Contains(out, "SCIM request") {
		t.Fatalf("no request logs captured:\n%s", out)
	}
	for _, secret := range []string{testToken, password} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q found in logs:\n%s", secret, out)
		}
	}
}

func TestDeactivateVerifies(t *testing.T) {
	cases := map[string]struct {
		patch   func(w http.ResponseWriter)
		get     string
		wantErr bool
	}{
		"200 inactive": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":false}`)
		}, "", false},
		"string boolean": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":"False"}`)
		}, "", false},
		"204 then inactive": {func(w http.ResponseWriter) { w.WriteHeader(204) }, `{"id":"1","userName":"a","active":false}`, false},
		"204 then gone":     {func(w http.ResponseWriter) { w.WriteHeader(204) }, "404", false},
		"ignored": {func(w http.ResponseWriter) {
			writeBody(w, 200, "application/json", `{"id":"1","userName":"a","active":true}`)
		}, "", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mux := setup(t)
			mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == "PATCH":
					tc.patch(w)
				case tc.get == "404":
					writeBody(w, 404, "application/json", `{"status":"404"}`)
				default:
					writeBody(w, 200, "application/json", tc.get)
				}
			})
			if err := c.Users.Deactivate(context.Background(), "1"); (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}

func TestPatchOpCase(t *testing.T) {
	d := Generic()
	d.PatchOpCase = "capitalized"
	body := d.patchBody([]Operation{{Op: "replace", Path: "active", Value: false}})
	if got := body["Operations"].([]any)[0].(map[string]any)["op"]; got != "Replace" {
		t.Errorf("op %v, want Replace", got)
	}
}

func TestTLSVerification(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
	}))
	t.Cleanup(srv.Close)
	untrusted, err := New(Config{Endpoint: srv.URL + "/scim/v2", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := untrusted.Users.Get(context.Background(), "1"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a self-signed server was accepted: %v", err)
	}
	caPEM := pemEncode(srv.Certificate().Raw)
	trusted, err := New(Config{Endpoint: srv.URL + "/scim/v2", Token: "t", CACertPEM: caPEM, MaxRetries: DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trusted.Users.Get(context.Background(), "1"); err != nil {
		t.Fatalf("with its CA in CACertPEM the server must be trusted: %v", err)
	}
}

func TestRedirectHTTPSToHTTPRefused(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("plain-http server received %s with Authorization %q", r.URL, r.Header.Get("Authorization"))
	}))
	t.Cleanup(plain.Close)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Same host and port family, but downgraded to http.
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{Endpoint: srv.URL + "/scim/v2", Token: "t", CACertPEM: pemEncode(srv.Certificate().Raw), MaxRetries: DefaultMaxRetries})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(context.Background(), "1"); err == nil || !strings.Contains(err.Error(), "refusing redirect") {
		t.Fatalf("got %v, want the downgrade refused", err)
	}
}

func pemEncode(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestAdaptiveLimiterLearnsFromBurstsOnly(t *testing.T) {
	a := newAdaptiveLimiter(0)
	for i := 0; i < 20; i++ {
		a.observe(200, nil)
	}
	a.observe(429, http.Header{})
	if a.limiter.Limit() != rate.Inf {
		t.Fatalf("a lone 429 set the pace to %v", a.limiter.Limit())
	}
	a.observe(429, http.Header{})
	a.observe(429, http.Header{})
	if got := a.limiter.Limit(); got < 18 || got > 20 {
		t.Fatalf("pace %v after a burst of 429s, want about the 20 accepted in the last second", got)
	}
	b := newAdaptiveLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "50;w=10")
	b.observe(429, h)
	if got := b.limiter.Limit(); got < 4.5 || got > 5 {
		t.Fatalf("pace %v, want about 5/s from RateLimit-Policy 50;w=10", got)
	}
}

func TestAdaptiveLimiterAdoptsStatedPolicyFromAnyAnswer(t *testing.T) {
	a := newAdaptiveLimiter(0)
	h := http.Header{}
	h.Set("RateLimit-Policy", "20;w=1")
	a.observe(200, h)
	if got := a.limiter.Limit(); got < 19 || got >= 20 {
		t.Fatalf("pace %v after an answer stating 20/s, want just under 20", got)
	}
	capped := newAdaptiveLimiter(5)
	capped.observe(200, h)
	if got := capped.limiter.Limit(); got != 5 {
		t.Fatalf("pace %v, want the user's rate_limit of 5 to win over a stated 20", got)
	}
}

func TestAdaptiveLimiterDoesNotProbeAboveKnownLimit(t *testing.T) {
	a := newAdaptiveLimiter(0)
	for i := 0; i < 20; i++ {
		a.observe(200, nil)
	}
	for i := 0; i < 3; i++ {
		a.observe(429, http.Header{})
	}
	learned := a.limiter.Limit()
	// Quiet for longer than the probe interval but not the explore interval.
	a.probedAt, a.last429 = time.Now().Add(-2*probeInterval), time.Now().Add(-2*probeInterval)
	a.maybeProbe()
	if got := a.limiter.Limit(); got != learned {
		t.Fatalf("probed from %v to %v within the explore interval; probing above a known limit costs a pause", learned, got)
	}
	// A pace lowered by 429s while paced climbs back, but not past the limit.
	for i := 0; i < 3; i++ {
		a.observe(429, http.Header{})
	}
	lowered := a.limiter.Limit()
	if lowered >= learned {
		t.Fatalf("429s while paced at %v left the pace at %v", learned, lowered)
	}
	for i := 0; i < 10; i++ {
		a.probedAt = time.Now().Add(-2 * probeInterval)
		a.maybeProbe()
	}
	if got := a.limiter.Limit(); got <= lowered || got > a.known*safetyFactor+1e-9 {
		t.Fatalf("pace %v after probes, want above %v and at most %v", got, lowered, a.known*safetyFactor)
	}
	// After a long quiet spell the limit is tried a little higher.
	before := a.known
	a.probedAt, a.last429 = time.Now().Add(-2*exploreAfter), time.Now().Add(-2*exploreAfter)
	a.maybeProbe()
	if a.known <= before {
		t.Fatalf("known limit %v not explored upward after %v without 429s", a.known, exploreAfter)
	}
}

func TestMayBeErrorDocument(t *testing.T) {
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
