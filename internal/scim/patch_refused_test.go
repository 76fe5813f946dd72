package scim_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestPatchRefusedPathIsWrittenWithPut (issue 43, item 1): an app that
// answers 400 invalidPath to externalId as a PATCH path, and takes it in
// a PUT. Changing externalId and title at once stores both, keeps what
// the provider does not manage, and is learned: the next externalId change
// is one GET and one PUT, and a title change alone is still one PATCH.
func TestPatchRefusedPathIsWrittenWithPut(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{PatchRefusesPaths: []string{"externalId"}}})
	id := srv.Put("Users", map[string]any{"userName": "ann@example.com", "externalId": "old", "title": "T0", "nickName": "kept"})
	c := newClient(t, srv, nil)
	ctx := context.Background()
	managed := scim.Attrs{"externalId": true, "title": true}
	from := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "old", Title: "T0"}
	want := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "new", Title: "T1"}
	if _, err := c.Users.Update(ctx, id, from, want, managed); err != nil {
		t.Fatalf("update: %v", err)
	}
	doc := srv.Get("Users", id)
	if doc["externalId"] != "new" || doc["title"] != "T1" || doc["nickName"] != "kept" {
		t.Fatalf("the app holds %v", doc)
	}
	srv.ResetCounts()
	next := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "newer", Title: "T1"}
	if _, err := c.Users.Update(ctx, id, want, next, managed); err != nil {
		t.Fatalf("second update: %v", err)
	}
	if srv.Count("PATCH") != 0 || srv.Count("PUT") != 1 || srv.Get("Users", id)["externalId"] != "newer" {
		t.Errorf("second externalId change: %d PATCH, %d PUT, externalId %v; want one PUT", srv.Count("PATCH"), srv.Count("PUT"), srv.Get("Users", id)["externalId"])
	}
	srv.ResetCounts()
	titled := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "newer", Title: "T2"}
	if _, err := c.Users.Update(ctx, id, next, titled, managed); err != nil {
		t.Fatalf("title update: %v", err)
	}
	if srv.Count("PATCH") != 1 || srv.Count("PUT") != 0 {
		t.Errorf("title change: %d PATCH, %d PUT; want one PATCH", srv.Count("PATCH"), srv.Count("PUT"))
	}
}

// TestPatchRefusedPathWithoutPutNamesTheAttribute: where PUT is refused
// too, the error names the attribute the app will not take.
func TestPatchRefusedPathWithoutPutNamesTheAttribute(t *testing.T) {
	srv := scimtest.NewTestServer(t, scimtest.Options{Quirks: scimtest.Quirks{PatchRefusesPaths: []string{"externalId"}, NoPut: true}})
	id := srv.Put("Users", map[string]any{"userName": "ann@example.com", "externalId": "old"})
	c := newClient(t, srv, nil)
	from := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "old"}
	want := &scim.User{ID: id, UserName: "ann@example.com", ExternalID: "new"}
	_, err := c.Users.Update(context.Background(), id, from, want, scim.Attrs{"externalId": true})
	var refused *scim.PatchRefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "externalId") {
		t.Fatalf("update: %v, want an error naming externalId", err)
	}
}
