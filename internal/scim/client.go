package scim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/ratelimit"
)

// Defaults used when Config leaves a field zero.
const (
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	defaultRetryWaitMin   = 500 * time.Millisecond
	defaultRetryWaitMax   = 60 * time.Second
)

// Config describes how to reach one SCIM tenant.
type Config struct {
	// Endpoint is the SCIM base URL, such as https://example.com/scim/v2.
	Endpoint string
	// Token is sent as "Authorization: Bearer <token>".
	Token string
	// Username and Password select HTTP basic auth instead of a bearer token.
	Username string
	Password string
	// TokenSource, when set, supplies bearer tokens (for OAuth 2.0 client
	// credentials); it wins over Token.
	TokenSource func(context.Context) (string, error)
	// AllowEmptyTenant lets ManagedRead take every 404 as "gone", even when
	// all managed objects answer 404 or the collection is empty.
	AllowEmptyTenant bool
	// RateLimit caps requests per second across every caller of the client; 0 means unlimited.
	RateLimit float64
	// RateLimitReserve is the share of the app's limit left to other
	// clients of the same app (0 to 0.9).
	RateLimitReserve float64
	// SharedBudgetDir, when set, is the directory where every process on
	// this machine that reaches the same endpoint with the same credential
	// shares one pace (see ratelimit.Budget). Empty: this client paces alone.
	SharedBudgetDir string
	// CredentialID tells credentials apart for the shared budget where
	// TokenSource supplies them (the OAuth client id and token URL).
	CredentialID string
	// MaxRetries bounds the retries of one failed request; zero means none.
	// DefaultMaxRetries is the usual value.
	MaxRetries int
	// RequestTimeout bounds one HTTP attempt.
	RequestTimeout time.Duration
	// RetryWaitMin and RetryWaitMax bound backoff and Retry-After waits.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// CACertPEM adds trusted certificate authorities (PEM) to the system pool.
	CACertPEM string
	// ClientCertPEM and ClientKeyPEM, when set, are the certificate and key
	// presented to servers that require mutual TLS.
	ClientCertPEM, ClientKeyPEM string
	// Headers are extra request headers, such as a tenant id.
	Headers map[string]string
	// UserAgent identifies the caller, e.g. "terraform-provider-scim/1.2.3".
	UserAgent string
	// MaxBodyBytes caps how much of a response body is read.
	MaxBodyBytes int64
	// Dialect describes the server's quirks; the zero value is taken as Generic().
	Dialect *Dialect
	// Transport replaces the HTTP transport (tests); TLS settings then come from it.
	Transport http.RoundTripper
	// Secrets are more values to mask in logs, such as an OAuth client secret.
	Secrets []string
	// Refresh chooses how Users.Refresh and Groups.Refresh read: by GET, or
	// from listing pages fetched once per client (the zero value is RefreshAuto).
	Refresh RefreshMode
	// Logger receives the client's decisions: fallbacks learned from the
	// server, listing for refresh, discovery. Nil discards them.
	Logger *slog.Logger
	// HTTPLogger receives one record per request and retry at debug level,
	// and the bodies at LevelTrace. Nil discards them. Both loggers get
	// records with secrets and password values already masked.
	HTTPLogger *slog.Logger
}

// Client talks to one SCIM service provider. It is safe for concurrent use,
// and all callers share its rate limiter and its 429 back-off.
type Client struct {
	baseURL *url.URL
	http    *http.Client
	cfg     Config
	dialect Dialect
	limiter *ratelimit.Limiter
	// plainJSON remembers the fallback learned from a 415 on scim+json for
	// the rest of the run (PUT instead of PATCH is learned per resource
	// type, in each service).
	plainJSON atomic.Bool
	// objects serialises read-modify-write cycles per object.
	objects objectLocks
	// run is what lives for one Terraform run (see runState).
	run     runState
	schemas schemaCache
	log     *slog.Logger
	httpLog *slog.Logger

	Users  *UsersService
	Groups *GroupsService
}

type service struct {
	client *Client
	// usePut says this resource type is written with GET and PUT: the
	// dialect says so, or the app answered a PATCH of it with 405 or 501.
	// Learned per type: an app may refuse PATCH of users and take it for
	// groups, and groups whose members cannot be read cannot be PUT.
	usePut atomic.Bool
	// patchRefused holds the attribute paths (lower case) the app refused
	// as a PATCH path (400 invalidPath): writes that touch one are sent as
	// GET and PUT, learned per type and client (see UsersService.write).
	patchRefused sync.Map
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	if err := ValidateEndpoint(strings.TrimSpace(cfg.Endpoint)); err != nil {
		return nil, fmt.Errorf("endpoint %w", err)
	}
	base, err := url.Parse(strings.TrimSpace(cfg.Endpoint))
	if err != nil {
		return nil, err
	}
	base.Path = strings.TrimSuffix(base.Path, "/") + "/"
	base.RawQuery, base.Fragment = "", ""

	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = defaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = defaultRetryWaitMax
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	transport := cfg.Transport
	if transport == nil {
		t, err := newTransport(cfg)
		if err != nil {
			return nil, err
		}
		transport = t
	}
	c := &Client{
		baseURL: base,
		cfg:     cfg,
		http: &http.Client{
			Transport:     transport,
			CheckRedirect: sameOriginRedirects(base),
		},
	}
	c.dialect = Generic()
	if cfg.Dialect != nil {
		c.dialect = *cfg.Dialect
	}
	c.dialect.fillDefaults()
	if err := c.dialect.Validate(); err != nil {
		return nil, err
	}
	// The caller's rate limit is this client's own cap and replaces the
	// app's documented rate; without one, the documented rate is the app's
	// limit, kept together by every process sharing the budget.
	limits := ratelimit.Options{Ceiling: cfg.RateLimit, Reserve: cfg.RateLimitReserve, Budget: openBudget(cfg)}
	if cfg.RateLimit == 0 {
		limits.AppLimit = c.dialect.RateLimit
	}
	c.limiter = ratelimit.New(limits)
	c.run.gone.allowEmpty = cfg.AllowEmptyTenant
	var secrets []string
	for _, s := range append([]string{cfg.Token, cfg.Password}, cfg.Secrets...) {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	c.log = newMaskedLogger(cfg.Logger, secrets)
	c.httpLog = newMaskedLogger(cfg.HTTPLogger, secrets)
	switch cfg.Refresh {
	case "", RefreshAuto, RefreshPages, RefreshGet:
	default:
		return nil, fmt.Errorf("refresh mode %q: want %q, %q or %q", cfg.Refresh, RefreshAuto, RefreshPages, RefreshGet)
	}
	userRefresh := cfg.Refresh
	if c.dialect.ListNeedsFilter {
		userRefresh = RefreshGet // the app cannot list users without a filter
	}
	c.run.userPages = newPagedReads(c, "Users", userRefresh)
	c.run.groupPages = newPagedReads(c, "Groups", cfg.Refresh)
	c.run.groupReads = newGroupReads(c)
	c.Users = &UsersService{client: c}
	c.Groups = &GroupsService{client: c}
	c.setUpdateMethod()
	return c, nil
}

// Dialect returns the effective dialect of the client.
func (c *Client) Dialect() Dialect { return c.dialect }

// SetDialect replaces the dialect, e.g. after discovery. Call it before the
// client is shared between goroutines.
func (c *Client) SetDialect(d Dialect) error {
	d.fillDefaults()
	if err := d.Validate(); err != nil {
		return err
	}
	c.dialect = d
	c.setUpdateMethod()
	return nil
}

func (c *Client) setUpdateMethod() {
	c.Users.usePut.Store(c.dialect.UpdateMethod == UpdatePut)
	c.Groups.usePut.Store(c.dialect.UpdateMethod == UpdatePut)
}

// UpdateMethod says how user writes are sent now: UpdatePatch, or
// UpdatePut once the dialect, discovery or a 405/501 answer showed the app
// has no PATCH of users.
func (c *Client) UpdateMethod() string {
	if c.Users.usePut.Load() {
		return UpdatePut
	}
	return UpdatePatch
}

// HTTPClient returns the client's HTTP client (TLS and redirect policy
// included), for companion requests such as OAuth token fetches.
func (c *Client) HTTPClient() *http.Client { return c.http }

// Endpoint returns the normalised base URL.
func (c *Client) Endpoint() string { return c.baseURL.String() }

// newTransport clones Go's default transport, so HTTPS_PROXY, HTTP_PROXY
// and NO_PROXY are honoured as everywhere else, with TLS 1.2 or later, the
// extra CAs and the client certificate of cfg.
func newTransport(cfg Config) (*http.Transport, error) {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, errors.New("http.DefaultTransport was replaced by another type")
	}
	t := base.Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	t.MaxIdleConnsPerHost = 32
	if strings.TrimSpace(cfg.CACertPEM) != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertPEM)) {
			return nil, errors.New("the CA certificates hold no PEM certificate")
		}
		t.TLSClientConfig.RootCAs = pool
	}
	if cfg.ClientCertPEM != "" || cfg.ClientKeyPEM != "" {
		pair, err := tls.X509KeyPair([]byte(cfg.ClientCertPEM), []byte(cfg.ClientKeyPEM))
		if err != nil {
			return nil, fmt.Errorf("the client certificate and key do not form a usable pair: %w", err)
		}
		t.TLSClientConfig.Certificates = []tls.Certificate{pair}
	}
	return t, nil
}

// sameOriginRedirects refuses redirects to another host or from https to
// http: Go keeps custom headers across hosts, so a redirect could hand the
// token to a stranger.
func sameOriginRedirects(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		if !strings.EqualFold(req.URL.Host, base.Host) || req.URL.Scheme != base.Scheme {
			return fmt.Errorf("refusing redirect from %s://%s to %s://%s: credentials are only sent to the configured endpoint",
				base.Scheme, base.Host, req.URL.Scheme, req.URL.Host)
		}
		return nil
	}
}

// ValidateEndpoint requires an absolute https URL, or http on loopback.
func ValidateEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute URL; use the app's SCIM base URL, such as https://api.example.com/scim/v2", raw)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%q uses http: SCIM carries credentials and personal data, so https is required "+
			"(http is accepted only on loopback addresses, for local test servers)", raw)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not embed credentials: pass them as a token or basic auth settings", u.Redacted())
	}
	return nil
}

// IsLoopbackHost reports whether host names this machine (localhost,
// 127.0.0.0/8 or ::1), the only place plain http is allowed.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openBudget opens the pace this client shares with other processes on the
// machine, keyed by endpoint, credential and extra headers (a tenant
// header picks another app's limit). A budget that cannot be opened (a
// read-only home) leaves the client pacing alone.
func openBudget(cfg Config) *ratelimit.Budget {
	if cfg.SharedBudgetDir == "" {
		return nil
	}
	parts := []string{strings.TrimRight(cfg.Endpoint, "/"), cfg.Token, cfg.Username, cfg.Password, cfg.CredentialID}
	for _, k := range slices.Sorted(maps.Keys(cfg.Headers)) {
		parts = append(parts, k, cfg.Headers[k])
	}
	b, err := ratelimit.OpenBudget(cfg.SharedBudgetDir, parts...)
	if err != nil {
		return nil
	}
	return b
}
