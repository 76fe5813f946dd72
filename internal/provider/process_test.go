package provider

import "testing"

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
