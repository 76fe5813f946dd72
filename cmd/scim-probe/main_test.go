package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// The exit status says whether the app can be managed; the token is never printed.
func TestExitStatusAndOutput(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	srv.Put("Users", map[string]any{"userName": "a@example.com"})
	cases := []struct {
		name  string
		token string
		args  []string
		want  int
	}{
		{"no endpoint", srv.Token, []string{"-quiet"}, 2},
		{"no credentials", "", []string{"-quiet", "-endpoint", srv.URL}, 2},
		{"refused token", "wrong-token-value", []string{"-quiet", "-endpoint", srv.URL}, 1},
		{"manageable", srv.Token, []string{"-quiet", "-json", "-write", "-endpoint", srv.URL}, 0},
		{"bad log level", srv.Token, []string{"-quiet", "-log", "verbose", "-endpoint", srv.URL}, 2},
		{"trace log", srv.Token, []string{"-quiet", "-json", "-write", "-log", "trace", "-endpoint", srv.URL}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SCIM_ENDPOINT", "")
			t.Setenv("SCIM_TOKEN", tc.token)
			var stdout, stderr bytes.Buffer
			if got := run(tc.args, &stdout, &stderr); got != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tc.want, stdout.String(), stderr.String())
			}
			if tc.token != "" && strings.Contains(stdout.String()+stderr.String(), tc.token) {
				t.Error("the token was printed")
			}
			if logged := strings.Contains(stderr.String(), `level=TRACE msg="SCIM exchange"`); logged != (tc.name == "trace log") {
				t.Errorf("request bodies logged: %v\nstderr:\n%s", logged, stderr.String())
			}
			if tc.want == 0 {
				var report struct {
					Manageable bool   `json:"manageable"`
					Block      string `json:"provider_block"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &report); err != nil || !report.Manageable || !strings.Contains(report.Block, `provider "scim"`) {
					t.Errorf("JSON report %s: %v", stdout.String(), err)
				}
			}
		})
	}
}

// An app behind a private CA that requires a tenant header is probed with
// the provider's variables for both (SCIM_CA_CERT_PEM, SCIM_HEADERS).
func TestPrivateCAAndRequiredHeader(t *testing.T) {
	app := scimtest.New(scimtest.Options{Token: scimtest.DefaultToken})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Tenant") != "acme" {
			http.NotFound(w, r)
			return
		}
		app.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	t.Setenv("SCIM_ENDPOINT", "")
	t.Setenv("SCIM_TOKEN", scimtest.DefaultToken)
	for _, c := range []struct {
		name, ca, headers string
		want              int
	}{
		{"neither", "", "", 1},
		{"no header", string(ca), "", 1},
		{"both", string(ca), `{"X-Tenant": "acme"}`, 0},
		{"bad headers", string(ca), `X-Tenant: acme`, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SCIM_CA_CERT_PEM", c.ca)
			t.Setenv("SCIM_HEADERS", c.headers)
			var stdout, stderr bytes.Buffer
			if got := run([]string{"-quiet", "-endpoint", srv.URL + scimtest.BasePath}, &stdout, &stderr); got != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, c.want, stdout.String(), stderr.String())
			}
		})
	}
}
