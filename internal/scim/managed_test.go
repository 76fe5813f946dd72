package scim

import (
	"reflect"
	"testing"
)

func TestOverlayKeepsUnmanaged(t *testing.T) {
	t.Parallel()
	base := &User{UserName: "a", Title: "CTO", NickName: "n", Name: Name{GivenName: "Old", Formatted: "Old Name"},
		PhoneNumbers: []MultiValue{{Value: "+1"}}, Enterprise: Enterprise{Department: "D", ManagerID: "m"}}
	want := &User{UserName: "a", Title: "", Name: Name{GivenName: "New"}, Enterprise: Enterprise{Department: "E"}}
	got := Overlay(base, want, SetAttrs(want))
	if got.Title != "CTO" || got.NickName != "n" || len(got.PhoneNumbers) != 1 || got.Name.Formatted != "Old Name" ||
		got.Enterprise.ManagerID != "m" {
		t.Errorf("unmanaged attributes changed: %+v", got)
	}
	if got.Name.GivenName != "New" || got.Enterprise.Department != "E" {
		t.Errorf("managed attributes not taken: %+v", got)
	}
	// Managed and empty means "remove".
	got = Overlay(base, want, Attrs{"title": true})
	if got.Title != "" || got.Name.GivenName != "Old" {
		t.Errorf("managed empty title kept, or unmanaged name taken: %+v", got)
	}
	if ops := UserPatch(base, Overlay(base, want, SetAttrs(want))); len(ops) != 2 {
		t.Errorf("ops %+v, want exactly name.givenName and the department", ops)
	}
}

func TestWriteOrderPutsSourcesFirst(t *testing.T) {
	t.Parallel()
	from := &User{UserName: "a", DisplayName: "X", Name: Name{GivenName: "A", FamilyName: "B", Formatted: "F"}}
	to := &User{UserName: "a", DisplayName: "Y", Name: Name{GivenName: "C", FamilyName: "B", Formatted: "G"}}
	ops := orderOps(UserPatch(from, to))
	var paths []string
	for _, o := range ops {
		paths = append(paths, o.Path)
	}
	if want := []string{"name.givenName", "name.formatted", "displayName"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("order %v, want %v", paths, want)
	}
}

func TestReassertDerivedAfterNameChange(t *testing.T) {
	t.Parallel()
	target := &User{DisplayName: "Ally", Name: Name{GivenName: "Alicia", Formatted: "Dr. Alicia"}}
	ops := []Operation{{Op: "replace", Path: "name.givenName", Value: "Alicia"}}
	got := reassertDerived(ops, target, Attrs{"name.givenName": true, "displayName": true})
	if len(got) != 2 || got[1].Path != "displayName" {
		t.Errorf("got %+v; want displayName re-sent, and name.formatted (unmanaged) left to the app", got)
	}
	if got := reassertDerived([]Operation{{Op: "replace", Path: "title", Value: "x"}}, target, nil); len(got) != 1 {
		t.Errorf("re-sent derived values without a name change: %+v", got)
	}
}

func TestPendingOpsIgnorePasswordAndCase(t *testing.T) {
	t.Parallel()
	stored := &User{UserName: "alice@example.com", Emails: []MultiValue{{Value: "alice@example.com"}}}
	want := &User{UserName: "Alice@Example.com", Password: "secret", Emails: []MultiValue{{Value: "ALICE@example.com"}}}
	if ops := pendingOps(stored, want, SetAttrs(want)); len(ops) != 0 {
		t.Errorf("pending %+v; case differences and passwords are not mismatches", ops)
	}
	want.Title = "CTO"
	ops := pendingOps(stored, want, SetAttrs(want))
	ms := mismatches(stored, ops)
	if len(ms) != 1 || ms[0].Path != "title" || ms[0].Sent != "CTO" || ms[0].Stored != nil {
		t.Errorf("mismatches %+v", ms)
	}
	err := &MismatchError{User: stored, Mismatches: ms}
	if err.Error() != `the app stored other values than the ones sent (title: sent "CTO", the app stored nothing)` {
		t.Errorf("message %q", err.Error())
	}
}

func TestMergeMembers(t *testing.T) {
	t.Parallel()
	members := []any{map[string]any{"value": "a", "display": "A"}, map[string]any{"value": "b"}, map[string]any{"value": "a"}}
	got := mergeMembers(members, []string{"c", "a"}, []string{"b"})
	want := []any{map[string]any{"value": "a", "display": "A"}, map[string]any{"value": "c"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
