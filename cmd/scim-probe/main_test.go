package main

import (
	"bytes"
	"encoding/json"
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
