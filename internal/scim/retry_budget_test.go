package scim_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestOneWriteSendsAtMostMaxRetriesMore (issue 43, item 9): a user written
// with GET and PUT where every PUT meets a 412 (the object keeps changing)
// and every other GET a 503. The retry loops share one budget, so the
// write sends its GET and PUT at most 1 + max_retries times (8 requests
// here), where the nested loops sent 12.
func TestOneWriteSendsAtMostMaxRetriesMore(t *testing.T) {
	const maxRetries = 3
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	id := srv.Put("Users", map[string]any{"userName": "busy@example.com", "title": "T0"})
	var sent atomic.Int32
	var gets atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/scim/v2/ServiceProviderConfig":
			return false
		case r.Method == http.MethodGet:
			sent.Add(1)
			if gets.Add(1)%2 == 1 {
				w.Header().Set("Retry-After", "0")
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
				return true
			}
			return false
		case r.Method == http.MethodPut:
			sent.Add(1)
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(http.StatusPreconditionFailed)
			_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"412","detail":"changed"}`))
			return true
		}
		return false
	}})
	d, _ := scim.Preset("generic")
	d.UpdateMethod = "put"
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: &d, MaxRetries: maxRetries})
	if err != nil {
		t.Fatal(err)
	}
	from := &scim.User{ID: id, UserName: "busy@example.com", Title: "T0"}
	want := &scim.User{ID: id, UserName: "busy@example.com", Title: "T1"}
	if _, err := c.Users.Update(context.Background(), id, from, want, scim.Attrs{"title": true}); err == nil {
		t.Fatal("the update succeeded against an object that always changes")
	}
	if n := sent.Load(); n > 2*(1+maxRetries) {
		t.Errorf("one write sent %d requests, want at most %d (its GET and PUT, 1 + max_retries times)", n, 2*(1+maxRetries))
	}
}

// TestSplitGroupChangeSharesOneBudget: a group change split over several
// PATCHes (one member each) where every PATCH's first try meets a 503 is
// one operation with one retry budget, so it stops after max_retries
// retries in all; with a budget per request it retried each PATCH and sent
// twice its requests.
func TestSplitGroupChangeSharesOneBudget(t *testing.T) {
	const maxRetries = 2
	srv := scimtest.NewTestServer(t, scimtest.Options{})
	group := srv.Put("Groups", map[string]any{"displayName": "split"})
	var members []string
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		members = append(members, srv.Put("Users", map[string]any{"userName": name + "@example.com"}))
	}
	var patches, refused atomic.Int32
	srv.SetOptions(scimtest.Options{Token: srv.Token, Fault: func(w http.ResponseWriter, r *http.Request, _ func() *scimtest.Response) bool {
		if r.Method != http.MethodPatch {
			return false
		}
		if patches.Add(1)%2 == 1 { // each PATCH's first try
			refused.Add(1)
			w.Header().Set("Retry-After", "0")
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return true
		}
		return false
	}})
	d, _ := scim.Preset("generic")
	d.MemberChunkSize = 1
	c, err := scim.New(scim.Config{Endpoint: srv.URL, Token: srv.Token, Dialect: &d, MaxRetries: maxRetries})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Groups.Update(context.Background(), group, nil, members, nil)
	if n := refused.Load(); n > maxRetries+1 {
		t.Errorf("one group change met %d refusals and went on (err %v); want it to stop after max_retries = %d retries in all",
			n, err, maxRetries)
	}
	if err == nil {
		t.Error("the change succeeded although its retry budget ran out")
	}
}
