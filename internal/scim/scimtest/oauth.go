package scimtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// TokenPath is where the server issues OAuth 2.0 client-credentials tokens
// when Options.OAuthClientID is set.
const TokenPath = "/oauth/token"

// OAuth settings live in Options: OAuthClientID, OAuthClientSecret and
// OAuthTokenTTL (default one hour).

func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	opts := s.Options()
	s.mu.Lock()
	s.counts["token"]++
	s.mu.Unlock()
	id, secret, ok := r.BasicAuth()
	if !ok {
		_ = r.ParseForm()
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || id != opts.OAuthClientID || secret != opts.OAuthClientSecret || opts.OAuthClientID == "" {
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "unknown client or wrong secret"})
		return
	}
	ttl := opts.OAuthTokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	token := newID()
	s.mu.Lock()
	if s.tokens == nil {
		s.tokens = map[string]time.Time{}
	}
	s.tokens[token] = time.Now().Add(ttl)
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": int(ttl / time.Second)})
}

// validToken reports whether an issued OAuth token is unexpired. Callers hold no lock.
func (s *Server) validToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[token]
	return ok && time.Now().Before(exp)
}
