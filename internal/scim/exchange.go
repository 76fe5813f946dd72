package scim

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// Exchange is one request and the server's answer, for tools that examine
// how a server behaves (scim-probe) rather than manage resources.
type Exchange struct {
	Method string
	// Path is relative to the endpoint, with the query string.
	Path   string
	Status int
	Header http.Header
	Body   []byte
	// Err is the decoded SCIM error of a non-2xx answer.
	Err *Error
}

// Send sends one request through the client (authentication, rate limit,
// retries, masking of secrets in logs) and returns the answer whatever its
// status; the error is set only when no answer came back.
func (c *Client) Send(ctx context.Context, method, path string, query url.Values, body any, header http.Header) (*Exchange, error) {
	req := request{Method: method, Path: path, Query: query, Body: body, Header: header, Idempotent: method != http.MethodPost}
	resp, err := c.do(ctx, req)
	ex := &Exchange{Method: method, Path: path}
	if len(query) > 0 {
		ex.Path += "?" + encodeQuery(query)
	}
	var apiErr *Error
	switch {
	case resp != nil:
		ex.Status, ex.Header, ex.Body = resp.StatusCode, resp.Header, resp.Body
		errors.As(err, &apiErr)
		ex.Err = apiErr
	case errors.As(err, &apiErr):
		ex.Status, ex.Err = apiErr.StatusCode, apiErr
	default:
		return ex, err
	}
	return ex, nil
}
