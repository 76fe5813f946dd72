package scim

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestRedirectToOtherHostRefused(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	if _, err := c.Users.create(context.Background(), &User{UserName: "a"}, priorUsers{}); err != nil {
		t.Fatal(err)
	}
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: LevelTrace}))
	const password, clientSecret = "Pa55word-in-body", "oauth-client-secret"
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{
		Endpoint: srv.URL + "/scim/v2", Token: testToken, Secrets: []string{clientSecret},
		Logger: logger, HTTPLogger: logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("/scim/v2/Users", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		// Echo the request, password included, as a careless server might.
		writeBody(w, 201, "application/scim+json", strings.Replace(string(body), `"schemas"`, `"id":"1","schemas"`, 1))
	})
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 400, "application/json", `{"status":"400","detail":"token `+testToken+` or `+clientSecret+` rejected"}`)
	})
	ctx := context.Background()
	if _, err := c.Users.create(ctx, &User{UserName: "a", Password: password}, priorUsers{}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Users.write(ctx, "1", []Operation{{Op: "replace", Path: "password", Value: password}})
	out := logs.String()
	for _, want := range []string{`"msg":"SCIM request"`, `"msg":"SCIM exchange"`, "rejected"} {
		if !strings.Contains(out, want) {
			t.Fatalf("logs lack %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{testToken, password, clientSecret} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q found in logs:\n%s", secret, out)
		}
	}
}

// TestBodiesOnlyAtTrace: bodies are copied and redacted for the log only
// when the HTTP logger takes LevelTrace.
func TestBodiesOnlyAtTrace(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{
		Endpoint: srv.URL + "/scim/v2", Token: testToken,
		HTTPLogger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("/scim/v2/Users/1", func(w http.ResponseWriter, r *http.Request) {
		writeBody(w, 200, "application/scim+json", `{"id":"1","userName":"a"}`)
	})
	if _, err := c.Users.Get(context.Background(), "1"); err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); !strings.Contains(out, `"msg":"SCIM request"`) || strings.Contains(out, "response_body") {
		t.Errorf("want the request logged without bodies at debug level:\n%s", out)
	}
}

func TestTLSVerification(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// Proxies: the transport takes HTTPS_PROXY, HTTP_PROXY and NO_PROXY from
// the environment as every Go program does (checked by identity, since Go
// reads the environment once per process).
func TestProxyFromEnvironment(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Endpoint: "https://scim.example.com/v2", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil || reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Fatalf("the transport does not take proxies from the environment")
	}
}
