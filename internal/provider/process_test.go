package provider

import (
	"os"
	"testing"
)

func TestLogsRequested(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want bool
	}{
		"nothing set":             {env: map[string]string{}, want: false},
		"only the log file":       {env: map[string]string{"TF_LOG_PATH": "/tmp/tf.log"}, want: false},
		"TF_LOG":                  {env: map[string]string{"TF_LOG": "TRACE"}, want: true},
		"TF_LOG_PROVIDER":         {env: map[string]string{"TF_LOG_PROVIDER": "DEBUG"}, want: true},
		"framework level only":    {env: map[string]string{"TF_LOG_SDK_FRAMEWORK": "TRACE"}, want: true},
		"this provider's level":   {env: map[string]string{"TF_LOG_PROVIDER_SCIM": "INFO"}, want: true},
		"http subsystem's level":  {env: map[string]string{"TF_LOG_PROVIDER_SCIM_HTTP": "TRACE"}, want: true},
		"another provider's only": {env: map[string]string{"TF_LOG_PROVIDER_AWS": "TRACE"}, want: false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := logsRequested(func(k string) string { return tc.env[k] })
			if got != tc.want {
				t.Fatalf("logsRequested(%v) = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}

// TestTuneProcessSilencesEverySubsystem: with no level set, every logger
// of the process is switched off, subsystems included; a subsystem left
// at no level would still build each message's fields before dropping it.
func TestTuneProcessSilencesEverySubsystem(t *testing.T) {
	for _, name := range logLevelVariables {
		t.Setenv(name, "")
	}
	t.Setenv("GOGC", "100")
	TuneProcess()
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_LOG_PROVIDER_SCIM", "TF_LOG_PROVIDER_SCIM_HTTP"} {
		if got := os.Getenv(name); got != "OFF" {
			t.Errorf("%s = %q after TuneProcess with no level set; want OFF", name, got)
		}
	}
}

// TestTuneProcessKeepsRequestedLogs: TF_LOG=TRACE (as a user debugging a
// run sets it) leaves every level as the SDKs would set it.
func TestTuneProcessKeepsRequestedLogs(t *testing.T) {
	for _, name := range logLevelVariables {
		t.Setenv(name, "")
	}
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("GOGC", "100")
	TuneProcess()
	for _, name := range sourceLevelVariables {
		if got := os.Getenv(name); got != "" {
			t.Errorf("%s = %q with TF_LOG=TRACE; want it left unset", name, got)
		}
	}
}
