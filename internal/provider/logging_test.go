package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// TestClientLogsReachTflog: the SCIM client's slog records come out of
// terraform-plugin-log with Terraform's levels, the http subsystem's module
// name and flattened fields.
func TestClientLogsReachTflog(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER_SCIM_HTTP", "TRACE")
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	decisions, requests := clientLoggers(func(name string) string {
		return map[string]string{"TF_LOG_PROVIDER_SCIM_HTTP": "TRACE"}[name]
	})
	requests.With("method", "GET").WithGroup("http").Log(ctx, scim.LevelTrace, "SCIM exchange", "status", 200)
	decisions.WarnContext(ctx, "listing failed", slog.Group("page", "index", 3))

	lines, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got %d:\n%s", len(lines), out.String())
	}
	want := []map[string]any{
		{"@level": "trace", "@message": "SCIM exchange", "@module": "provider.http", "method": "GET", "http.status": float64(200)},
		{"@level": "warn", "@message": "listing failed", "@module": "provider", "page.index": float64(3)},
	}
	for i, fields := range want {
		for k, v := range fields {
			if lines[i][k] != v {
				got, _ := json.Marshal(lines[i])
				t.Errorf("line %d: %s = %v, want %v (%s)", i, k, lines[i][k], v, got)
			}
		}
	}
}

func TestTraceOnlyWhenRequested(t *testing.T) {
	t.Parallel()
	for env, want := range map[string]bool{"": false, "DEBUG": false, "trace": true, "JSON": true} {
		_, requests := clientLoggers(func(name string) string {
			if name == "TF_LOG" {
				return env
			}
			return ""
		})
		if got := requests.Enabled(context.Background(), scim.LevelTrace); got != want {
			t.Errorf("TF_LOG=%q: trace enabled %v, want %v", env, got, want)
		}
		if !requests.Enabled(context.Background(), slog.LevelDebug) {
			t.Errorf("TF_LOG=%q: debug must reach tflog, which applies the level", env)
		}
	}
}

// TestLoggersOffWhenSwitchedOff: with the level variables TuneProcess sets
// to OFF, the client does not build records nobody will see.
func TestLoggersOffWhenSwitchedOff(t *testing.T) {
	t.Parallel()
	env := map[string]string{"TF_LOG_PROVIDER_SCIM": "OFF", "TF_LOG_PROVIDER_SCIM_HTTP": "off"}
	decisions, requests := clientLoggers(func(name string) string { return env[name] })
	if decisions.Enabled(context.Background(), slog.LevelError) || requests.Enabled(context.Background(), slog.LevelError) {
		t.Error("loggers switched off at the source must be disabled")
	}
	env["TF_LOG_PROVIDER_SCIM_HTTP"] = "DEBUG"
	if _, requests = clientLoggers(func(name string) string { return env[name] }); !requests.Enabled(context.Background(), slog.LevelDebug) {
		t.Error("the http subsystem has its own level")
	}
}

func TestTflogHandlerFlattensGroups(t *testing.T) {
	t.Parallel()
	fields := map[string]any{}
	addField(fields, "", slog.Attr{})
	addField(fields, "g.", slog.Group("", "k", "v"))
	addField(fields, "", slog.Group("outer", slog.Group("inner", "n", 1)))
	want := map[string]any{"g.k": "v", "outer.inner.n": int64(1)}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("fields = %v, want %v", fields, want)
	}
}
