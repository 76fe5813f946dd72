package scim

import (
	"context"
	"net/http"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// ClientCredentials is a Config.TokenSource for the OAuth 2.0 client
// credentials grant. The token is cached until shortly before it expires; a
// fetch runs under the context of the request that needs it (its timeout
// and cancellation included), through httpClient when that is non-nil.
func ClientCredentials(cc clientcredentials.Config, httpClient func() *http.Client) func(context.Context) (string, error) {
	var (
		mu     sync.Mutex
		cached *oauth2.Token
	)
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if cached.Valid() { // false for nil, and shortly before expiry
			return cached.AccessToken, nil
		}
		if httpClient != nil {
			ctx = context.WithValue(ctx, oauth2.HTTPClient, httpClient())
		}
		tok, err := cc.Token(ctx)
		if err != nil {
			return "", err
		}
		cached = tok
		return tok.AccessToken, nil
	}
}
