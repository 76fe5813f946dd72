package scim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/ratelimit"
)

const mediaType = "application/scim+json"

// response is what callers need from an HTTP answer once the body is read.
type response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// request describes one logical SCIM call; do may send it several times.
type request struct {
	Method string
	Path   string // relative to the base URL, e.g. "Users/123"
	Query  url.Values
	Body   any
	// Idempotent requests may be retried after a 5xx or a network error.
	// A POST is not: a lost answer may hide a created user.
	Idempotent bool
	// Header holds extra headers such as If-Match.
	Header http.Header
	// Sensitive requests carry a password: their body is never logged.
	Sensitive bool
	// NoRetry sends the request once (discovery hints are not worth waiting for).
	NoRetry bool
	// plainJSON is set by do for each try: the body goes as
	// application/json, the fallback learned from a 415.
	plainJSON bool
}

// resolve joins an escaped relative path (ids escaped with url.PathEscape)
// to the base URL, keeping escapes such as %2F intact.
func (c *Client) resolve(rel string) *url.URL {
	u := *c.baseURL
	u.RawPath = c.baseURL.EscapedPath() + c.dialect.appPath(rel)
	if p, err := url.PathUnescape(u.RawPath); err == nil {
		u.Path = p
	}
	return &u
}

// do sends req, retrying on 429 and on 503 with Retry-After (any method:
// the server says it did not act) and, for idempotent requests only, on
// other 5xx and network errors. Non-2xx answers become *Error.
func (c *Client) do(ctx context.Context, req request) (*response, error) {
	var body []byte
	if req.Body != nil {
		b, err := marshal(req.Body)
		if err != nil {
			return nil, fmt.Errorf("encoding %s %s body: %w", req.Method, req.Path, err)
		}
		body = b
	}
	if req.Method != http.MethodGet {
		// Noted when the write starts and again when it ends: a read that
		// began while it was in flight (waiting for its slot, retried
		// after 429s) may not show it, and must not be shared after it.
		c.run.lastWriteNanos.Store(time.Now().UnixNano())
		defer func() { c.run.lastWriteNanos.Store(time.Now().UnixNano()) }()
	}
	var tries attempts
	for ; ; tries.sent++ {
		req.plainJSON = c.plainJSON.Load()
		resp, err := c.send(ctx, req, body)
		wait, retry := c.retryPolicy(ctx, req, resp, err, &tries)
		if !retry {
			if err != nil {
				return nil, err
			}
			return resp, c.rateLimited(tries, c.checkResponse(req, resp))
		}
		c.httpLog.DebugContext(ctx, "retrying SCIM request",
			"method", req.Method, "path", req.Path, "attempt", tries.sent+1, "wait_ms", wait.Milliseconds())
		if err := ratelimit.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// attempts counts one request's tries. Its backoff grows with the failures
// the server did not schedule (network errors, 5xx, a 429 without
// Retry-After), not with every retry: a request a throttled gateway told
// "Retry-After: 1" five times has waited as asked and met no failure that
// calls for waiting longer, so its next HTML 500 waits 0.25-0.5 s, not the
// 8-16 s that counting every retry would give.
type attempts struct {
	sent        int // tries before this one
	unscheduled int // of those, tries that ended in a failure with no Retry-After
	// firstRefused is when the first 429 came.
	firstRefused time.Time
	// progress is whether the app accepted other requests meanwhile;
	// gaveUp says why the last 429 was not retried.
	progress bool
	gaveUp   string
}

// backoff is the wait before the next try after an unscheduled failure.
func (a *attempts) backoff(c *Client) time.Duration {
	d := c.backoff(a.unscheduled)
	a.unscheduled++
	return d
}

// retryPolicy decides whether to retry and how long to wait first. A 429
// also pauses every other caller of the client (the pause gate), since the
// rate limit is per tenant, not per resource.
func (c *Client) retryPolicy(ctx context.Context, req request, resp *response, err error, tries *attempts) (time.Duration, bool) {
	wait, retry := c.retryDecision(ctx, req, resp, err, tries)
	pacing := resp != nil && (resp.StatusCode == http.StatusUnsupportedMediaType || resp.StatusCode == http.StatusTooManyRequests)
	if retry && !pacing && !c.spendRetry(ctx) {
		return 0, false // the operation's retry budget is spent
	}
	return wait, retry
}

// retryDecision is retryPolicy for one request alone, without the
// operation's retry budget.
func (c *Client) retryDecision(ctx context.Context, req request, resp *response, err error, tries *attempts) (time.Duration, bool) {
	if resp != nil && resp.StatusCode == http.StatusUnsupportedMediaType && !req.plainJSON && req.Body != nil {
		// The server refuses application/scim+json: fall back to
		// application/json, for this request (even when another one in
		// flight learned it first) and every later one.
		c.plainJSON.Store(true)
		return 0, true
	}
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests && !req.NoRetry {
		return c.retryRefused(ctx, resp, tries)
	}
	if tries.sent >= c.cfg.MaxRetries || req.NoRetry {
		return 0, false
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, errRedirectRefused) || errors.Is(err, errCredentials) ||
			errors.Is(err, errBodyTooLarge) || !req.Idempotent {
			return 0, false
		}
		return tries.backoff(c), true
	}
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable:
		// Only idempotent requests are sent again here. A 503 may come from
		// an app that acted before it failed, Retry-After or not, so a POST
		// goes back to its caller, which looks up what the app holds before
		// it posts again (createClaimingNew): a blind retry would make a
		// duplicate group or meet its own user as "already exists".
		if !req.Idempotent {
			return 0, false
		}
		if wait, ok := c.retryAfter(resp.Header); ok {
			return wait, true
		}
		return tries.backoff(c), true
	case resp.StatusCode >= 500 && req.Idempotent && resp.StatusCode != http.StatusNotImplemented:
		return tries.backoff(c), true
	}
	return 0, false
}

// backoff is capped exponential backoff with full jitter.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryWaitMin << min(attempt, 16)
	if d > c.cfg.RetryWaitMax || d <= 0 {
		d = c.cfg.RetryWaitMax
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses Retry-After as seconds or as an HTTP date, capped at RetryWaitMax.
func (c *Client) retryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	} else {
		return 0, false
	}
	return min(max(d, 0), c.cfg.RetryWaitMax), true
}

var (
	errRedirectRefused = errors.New("redirect refused")
	// errCredentials marks a failure to obtain credentials (an OAuth token):
	// retrying the SCIM request cannot help.
	errCredentials = errors.New("no credentials")
	// errBodyTooLarge marks an answer over MaxBodyBytes; it would be as large again.
	errBodyTooLarge = errors.New("answer too large")
)

// send performs one attempt: waits for the limiter and any 429 pause, then
// sends and reads at most MaxBodyBytes of the answer.
func (c *Client) send(ctx context.Context, req request, body []byte) (*response, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	u := c.resolve(req.Path)
	if len(req.Query) > 0 {
		u.RawQuery = encodeQuery(req.Query)
	}
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	httpReq, err := http.NewRequestWithContext(attemptCtx, req.Method, u.String(), reader)
	if err != nil {
		return nil, err
	}
	if err := c.setHeaders(httpReq, req, body != nil); err != nil {
		return nil, err
	}
	start := time.Now()
	httpResp, err := c.http.Do(httpReq)
	if err != nil {
		c.httpLog.DebugContext(ctx, "SCIM request failed", "method", req.Method, "path", u.Path, "error", err.Error())
		if strings.Contains(err.Error(), "refusing redirect") {
			return nil, fmt.Errorf("%s %s: %w: %w", req.Method, u.Path, errRedirectRefused, err)
		}
		return nil, fmt.Errorf("%s %s: %w", req.Method, u.Path, err)
	}
	defer func() { _ = httpResp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(httpResp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading response: %w", req.Method, u.Path, err)
	}
	if int64(len(data)) > c.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("%s %s: %w: response body larger than %d bytes; refusing to read it", req.Method, u.Path,
			errBodyTooLarge, c.cfg.MaxBodyBytes)
	}
	// The limiter sees the status the answer means: a 429 wrapped in a 200
	// is a refusal, not progress.
	status := effectiveStatus(httpResp.StatusCode, data)
	c.limiter.Observe(start, status, httpResp.Header)
	c.logExchange(ctx, req, u, httpResp.StatusCode, time.Since(start), body, data)
	return &response{StatusCode: status, Header: httpResp.Header, Body: data}, nil
}

// effectiveStatus is the status a 2xx answer carrying a SCIM Error document
// really means (some servers wrap errors in 200), so retries and error
// handling see the error.
func effectiveStatus(status int, body []byte) int {
	if status < 200 || status > 299 || !mayBeErrorDocument(body) {
		return status
	}
	if obj, ok := parseObject(body); ok && hasSchema(obj, SchemaError) {
		if n, err := strconv.Atoi(obj.str("status")); err == nil && n >= 400 && n <= 599 {
			return n
		}
	}
	return status
}

func (c *Client) setHeaders(httpReq *http.Request, req request, hasBody bool) error {
	h := httpReq.Header
	for k, v := range c.cfg.Headers {
		h.Set(k, v)
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set("Accept", mediaType+", application/json")
	if hasBody {
		contentType := c.dialect.ContentType
		if req.plainJSON {
			contentType = "application/json"
		}
		h.Set("Content-Type", contentType)
	}
	if c.cfg.UserAgent != "" {
		h.Set("User-Agent", c.cfg.UserAgent)
	}
	switch {
	case c.cfg.TokenSource != nil:
		tok, err := c.cfg.TokenSource(httpReq.Context())
		if err != nil {
			return fmt.Errorf("%w: obtaining an access token: %w", errCredentials, err)
		}
		h.Set("Authorization", "Bearer "+tok)
	case c.cfg.Username != "":
		httpReq.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	case c.cfg.Token != "":
		h.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	return nil
}

// checkResponse turns a non-2xx answer, or a 2xx answer carrying a SCIM
// Error document, into *Error.
func (c *Client) checkResponse(req request, resp *response) error {
	path := "/" + strings.TrimPrefix(req.Path, "/")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := decodeError(req.Method, path, resp.StatusCode, resp.Body)
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			e.AuthHint = c.dialect.AuthHint
		}
		return e
	}
	if !mayBeErrorDocument(resp.Body) {
		return nil
	}
	if obj, ok := parseObject(resp.Body); ok && hasSchema(obj, SchemaError) {
		e := decodeError(req.Method, path, resp.StatusCode, resp.Body)
		if n, err := strconv.Atoi(e.Status); err == nil && n >= 400 {
			e.StatusCode = n
		}
		return e
	}
	return nil
}

// mayBeErrorDocument is a cheap test before decoding a successful answer
// in full to look for an Error document (some apps answer 200 with one):
// the Error URN ends in "2.0:Error", in whatever case the app writes it.
func mayBeErrorDocument(body []byte) bool {
	const tail = "2.0:error"
	for i := bytes.Index(body, []byte("2.0:")); i >= 0 && i+len(tail) <= len(body); {
		if bytes.EqualFold(body[i:i+len(tail)], []byte(tail)) {
			return true
		}
		next := bytes.Index(body[i+1:], []byte("2.0:"))
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

func hasSchema(o jsonObject, urn string) bool {
	list, _ := o.list("schemas")
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return true
		}
	}
	return false
}

// logExchange logs one request at debug level, and bodies at trace level with
// password values replaced.
func (c *Client) logExchange(ctx context.Context, req request, u *url.URL, status int, took time.Duration, reqBody, respBody []byte) {
	c.httpLog.DebugContext(ctx, "SCIM request",
		"method", req.Method, "path", u.Path, "http_status", status, "duration_ms", took.Milliseconds())
	if !c.httpLog.Enabled(ctx, LevelTrace) {
		return
	}
	requestBody := redactPasswords(reqBody)
	if req.Sensitive {
		requestBody = "(omitted: the request carries a password)"
	}
	c.httpLog.Log(ctx, LevelTrace, "SCIM exchange",
		"query", u.RawQuery,
		"request_body", requestBody,
		"response_body", redactPasswords(truncate(string(respBody), 64<<10)))
}
