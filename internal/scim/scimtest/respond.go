package scimtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// bufferedWriter holds a response so quirks can reshape it before it is sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{header: http.Header{}, status: 200} }

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedWriter) WriteHeader(status int)      { b.status = status }

// Response is a response the server has produced but not sent yet.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// WriteTo sends the response.
func (r *Response) WriteTo(w http.ResponseWriter) {
	for k, v := range r.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.Status)
	_, _ = w.Write(r.Body)
}

// finish reshapes the buffered response by the response quirks.
func (b *bufferedWriter) finish(q Quirks) *Response {
	body := b.body.Bytes()
	status := b.status
	// Decoding and re-encoding every answer would make the server, not the
	// client, the cost of large benchmarks: only do it when a quirk asks.
	errorQuirks := q.OKWithErrorBody || q.ErrorBody != ""
	bodyQuirks := q.LowercaseResources || q.StringifyInts || q.StringBools
	if !bodyQuirks && (!errorQuirks || !bytes.Contains(body, []byte(":Error"))) {
		return &Response{Status: status, Header: b.header, Body: body}
	}
	if strings.Contains(b.header.Get("Content-Type"), "json") && len(body) > 0 {
		var doc map[string]any
		if json.Unmarshal(body, &doc) == nil {
			if isError(doc) {
				status, body = reshapeError(status, doc, q, b.header)
			} else {
				reshape(doc, q)
				body, _ = json.Marshal(doc)
			}
		}
	}
	return &Response{Status: status, Header: b.header, Body: body}
}

func isError(doc map[string]any) bool {
	for _, s := range asList(doc["schemas"]) {
		if s == "urn:ietf:params:scim:api:messages:2.0:Error" {
			return true
		}
	}
	return false
}

func reshapeError(status int, doc map[string]any, q Quirks, h http.Header) (int, []byte) {
	if q.OKWithErrorBody {
		body, _ := json.Marshal(doc)
		return 200, body
	}
	switch q.ErrorBody {
	case "plain":
		h.Set("Content-Type", "text/plain")
		return status, []byte(strconv.Itoa(status) + " " + http.StatusText(status) + ": " + toString(doc["detail"]))
	case "nested":
		body, _ := json.Marshal(map[string]any{"error": doc})
		return status, body
	case "int_status":
		doc["status"] = status
	case "none":
		h.Del("Content-Type")
		return status, nil
	}
	body, _ := json.Marshal(doc)
	return status, body
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

// reshape applies the body quirks of sloppy servers to a success document.
func reshape(doc map[string]any, q Quirks) {
	if q.LowercaseResources {
		if r, ok := doc["Resources"]; ok {
			delete(doc, "Resources")
			doc["resources"] = r
		}
	}
	if q.StringifyInts {
		for _, k := range []string{"totalResults", "startIndex", "itemsPerPage"} {
			if v, ok := doc[k].(float64); ok {
				doc[k] = strconv.Itoa(int(v))
			}
		}
	}
	if q.StringBools {
		stringifyBools(doc)
	}
}

func stringifyBools(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if b, ok := e.(bool); ok && (k == "active" || k == "primary") {
				t[k] = map[bool]string{true: "True", false: "False"}[b]
				continue
			}
			stringifyBools(e)
		}
	case []any:
		for _, e := range t {
			stringifyBools(e)
		}
	}
}

// rateLimited answers 429 beyond RateLimit requests per second.
func (s *Server) rateLimited(w http.ResponseWriter, opts Options) bool {
	if opts.RateLimit <= 0 {
		return false
	}
	s.mu.Lock()
	now := time.Now()
	if now.Sub(s.rateWindow) >= time.Second {
		s.rateWindow, s.rateCount = now, 0
	}
	s.rateCount++
	over := s.rateCount > opts.RateLimit
	wait := time.Second - now.Sub(s.rateWindow)
	s.counts["429"] += map[bool]int{true: 1}[over]
	remaining := max(0, opts.RateLimit-s.rateCount)
	s.mu.Unlock()
	if opts.RateLimitHeaders {
		w.Header().Set("RateLimit-Policy", strconv.Itoa(opts.RateLimit)+";w=1")
		w.Header().Set("RateLimit-Remaining", strconv.Itoa(remaining))
	}
	if !over {
		return false
	}
	switch opts.RetryAfter {
	case "none":
	case "date":
		w.Header().Set("Retry-After", now.Add(wait+time.Second).UTC().Format(http.TimeFormat))
	default:
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Round(time.Second)/time.Second))))
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = io.WriteString(w, "Too Many Requests")
	return true
}

func writeHTML404(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<html><body><h1>404 Not Found</h1></body></html>")
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

func writeResource(w http.ResponseWriter, status int, doc map[string]any) {
	if meta, ok := doc["meta"].(map[string]any); ok {
		if v, ok := meta["version"].(string); ok {
			w.Header().Set("ETag", v)
		}
	}
	writeJSON(w, status, doc)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, err error) {
	se, ok := err.(*scimError)
	if !ok {
		se = &scimError{status: 500, detail: err.Error()}
	}
	doc := map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":  strconv.Itoa(se.status),
		"detail":  se.detail,
	}
	if se.scimType != "" {
		doc["scimType"] = se.scimType
	}
	writeJSON(w, se.status, doc)
}

func listOf(docs []map[string]any) map[string]any {
	resources := make([]any, len(docs))
	for i, d := range docs {
		resources[i] = d
	}
	return map[string]any{
		"schemas":      []string{"urn:ietf:params:scim:api:messages:2.0:ListResponse"},
		"totalResults": len(docs),
		"Resources":    resources,
	}
}
