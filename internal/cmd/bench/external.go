package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// countingProxy stands between the provider and a SCIM server this bench
// did not start (-users-endpoint, such as elimity-com/scim from
// scripts/interop.sh), counting API requests by method as the local
// server counts its own, discovery left out.
type countingProxy struct {
	target *url.URL
	mu     sync.Mutex
	counts map[string]int
}

func startCountingProxy(endpoint string) (*localServer, error) {
	target, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil {
		return nil, err
	}
	p := &countingProxy{target: target, counts: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/ServiceProviderConfig") && !strings.Contains(r.URL.Path, "/Schemas") &&
			!strings.Contains(r.URL.Path, "/ResourceTypes") {
			p.mu.Lock()
			p.counts[r.Method]++
			p.mu.Unlock()
		}
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = hs.Serve(ln) }()
	// The proxy adds the endpoint's path itself: the provider is given its root.
	return &localServer{proxy: p, url: "http://" + ln.Addr().String(), http: hs}, nil
}

func (p *countingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts = map[string]int{}
}

func (p *countingProxy) byMethod() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for m, n := range p.counts {
		out[m] = n
	}
	return out
}

// putUser creates a user on the server behind the proxy, uncounted.
func (p *countingProxy) putUser(doc map[string]any) error {
	doc["schemas"] = []string{"urn:ietf:params:scim:schemas:core:2.0:User"}
	body, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, p.target.String()+"/Users", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("Authorization", "Bearer "+benchToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST /Users: HTTP %d", resp.StatusCode)
	}
	return nil
}
