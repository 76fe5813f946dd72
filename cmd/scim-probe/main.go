// Command scim-probe asks a SCIM 2.0 endpoint how it really behaves and
// prints the terraform-provider-scim provider block that fits it.
//
//	go install github.com/scim-terraform/terraform-provider-scim/cmd/scim-probe@latest
//	SCIM_TOKEN=... scim-probe -endpoint https://app.example.com/scim/v2 [-write] [-json] [-log debug|trace]
//
// Credentials come from the provider's environment variables: SCIM_TOKEN,
// or SCIM_USERNAME and SCIM_PASSWORD, or SCIM_OAUTH2_TOKEN_URL,
// SCIM_OAUTH2_CLIENT_ID, SCIM_OAUTH2_CLIENT_SECRET and SCIM_OAUTH2_SCOPES.
// They are never printed. Read-only unless -write is given; -write creates
// one throwaway user (and group) and always removes them.
//
// Exit status: 0 when the provider can manage the app, 1 when it cannot,
// 2 on a usage error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/scim-terraform/terraform-provider-scim/internal/probe"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("scim-probe", flag.ContinueOnError)
	flags.SetOutput(stderr)
	endpoint := flags.String("endpoint", os.Getenv("SCIM_ENDPOINT"), "SCIM base URL (or SCIM_ENDPOINT)")
	write := flags.Bool("write", false, "also create, change and remove one throwaway user (and group)")
	asJSON := flags.Bool("json", false, "print the report as JSON")
	timeout := flags.Duration("timeout", 30*time.Second, "time limit of each request")
	quiet := flags.Bool("quiet", false, "no progress lines on stderr")
	logLevel := flags.String("log", "", `log each request on stderr: "debug", or "trace" to add the bodies (secrets and passwords masked)`)
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if *endpoint == "" {
		_, _ = fmt.Fprintln(stderr, "scim-probe: -endpoint (or SCIM_ENDPOINT) is required")
		return 2
	}
	cfg, err := clientConfig(*endpoint, *timeout)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "scim-probe:", err)
		return 2
	}
	switch *logLevel {
	case "":
	case "debug", "trace":
		level := map[string]slog.Level{"debug": slog.LevelDebug, "trace": scim.LevelTrace}[*logLevel]
		cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level, ReplaceAttr: traceLevelName}))
		cfg.HTTPLogger = cfg.Logger
	default:
		_, _ = fmt.Fprintf(stderr, "scim-probe: -log %q: want debug or trace\n", *logLevel)
		return 2
	}
	client, err := scim.New(cfg)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "scim-probe:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := probe.Options{Write: *write, RequestTimeout: *timeout}
	if !*quiet {
		opts.Progress = stderr
	}
	report := probe.Run(ctx, client, opts)
	if *asJSON {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "scim-probe:", err)
		return 2
	}
	if !report.Manageable {
		return 1
	}
	return 0
}

// clientConfig takes credentials from the provider's environment variables.
func clientConfig(endpoint string, timeout time.Duration) (scim.Config, error) {
	cfg := scim.Config{
		Endpoint: endpoint, Token: os.Getenv("SCIM_TOKEN"),
		Username: os.Getenv("SCIM_USERNAME"), Password: os.Getenv("SCIM_PASSWORD"),
		MaxRetries: 2, RequestTimeout: timeout, RetryWaitMin: 500 * time.Millisecond, RetryWaitMax: 5 * time.Second,
		UserAgent: "scim-probe (terraform-provider-scim)",
	}
	if tokenURL := os.Getenv("SCIM_OAUTH2_TOKEN_URL"); tokenURL != "" {
		cc := clientcredentials.Config{
			TokenURL: tokenURL, ClientID: os.Getenv("SCIM_OAUTH2_CLIENT_ID"), ClientSecret: os.Getenv("SCIM_OAUTH2_CLIENT_SECRET"),
			Scopes: strings.FieldsFunc(os.Getenv("SCIM_OAUTH2_SCOPES"), func(r rune) bool { return r == ',' || r == ' ' }),
		}
		cfg.TokenSource = scim.ClientCredentials(cc, nil)
		cfg.Secrets = append(cfg.Secrets, cc.ClientSecret)
	}
	if err := transportFromEnv(&cfg); err != nil {
		return cfg, err
	}
	if cfg.Token == "" && cfg.Username == "" && cfg.TokenSource == nil {
		return cfg, fmt.Errorf("no credentials: set SCIM_TOKEN, or SCIM_USERNAME and SCIM_PASSWORD, or SCIM_OAUTH2_TOKEN_URL with client id and secret")
	}
	return cfg, nil
}

// transportFromEnv reads the provider's other connection variables, so that
// an app behind a private CA, mutual TLS or a required header can be
// probed as the provider reaches it: SCIM_CA_CERT_PEM, SCIM_CA_CERT_FILE,
// SCIM_CLIENT_CERT_FILE with SCIM_CLIENT_KEY_FILE, and SCIM_HEADERS (a
// JSON object of strings).
func transportFromEnv(cfg *scim.Config) error {
	cfg.CACertPEM = strings.TrimSpace(os.Getenv("SCIM_CA_CERT_PEM"))
	if file := os.Getenv("SCIM_CA_CERT_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("SCIM_CA_CERT_FILE: %w", err)
		}
		cfg.CACertPEM = strings.TrimSpace(cfg.CACertPEM + "\n" + string(pem))
	}
	certFile, keyFile := os.Getenv("SCIM_CLIENT_CERT_FILE"), os.Getenv("SCIM_CLIENT_KEY_FILE")
	if (certFile == "") != (keyFile == "") {
		return fmt.Errorf("set both SCIM_CLIENT_CERT_FILE and SCIM_CLIENT_KEY_FILE for mutual TLS")
	}
	if certFile != "" {
		cert, err := os.ReadFile(certFile)
		if err != nil {
			return fmt.Errorf("SCIM_CLIENT_CERT_FILE: %w", err)
		}
		key, err := os.ReadFile(keyFile)
		if err != nil {
			return fmt.Errorf("SCIM_CLIENT_KEY_FILE: %w", err)
		}
		cfg.ClientCertPEM, cfg.ClientKeyPEM = string(cert), string(key)
	}
	if raw := os.Getenv("SCIM_HEADERS"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cfg.Headers); err != nil {
			return fmt.Errorf(`SCIM_HEADERS must be a JSON object of strings, such as {"X-Tenant": "acme"}: %w`, err)
		}
	}
	return nil
}

// traceLevelName prints scim.LevelTrace as TRACE rather than slog's DEBUG-4.
func traceLevelName(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.LevelKey && a.Value.Any() == scim.LevelTrace {
		return slog.String(slog.LevelKey, "TRACE")
	}
	return a
}
