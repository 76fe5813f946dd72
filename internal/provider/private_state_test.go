package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// fakePrivate is private state as the framework keeps it: a map of keys
// to JSON values, where an empty value removes the key.
type fakePrivate map[string][]byte

func (p fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(p, key)
		return nil
	}
	if !json.Valid(value) {
		var diags diag.Diagnostics
		diags.AddError("invalid JSON", key)
		return diags
	}
	p[key] = value
	return nil
}

func TestManagedCodesCoverEveryAttributeOnce(t *testing.T) {
	seen := map[byte]string{}
	for name := range userAttrPaths {
		code, ok := managedCodes[name]
		if !ok {
			t.Errorf("userAttrPaths has %q, which has no code in managedCodes", name)
			continue
		}
		if other, dup := seen[code]; dup {
			t.Errorf("%q and %q share the code %q", name, other, code)
		}
		seen[code] = name
	}
	if len(managedCodes) != len(userAttrPaths) {
		t.Errorf("managedCodes has %d names, userAttrPaths %d", len(managedCodes), len(userAttrPaths))
	}
}

func TestRecordWriteRoundTrip(t *testing.T) {
	ctx := context.Background()
	private := fakePrivate{}
	var names []string
	for name := range userAttrPaths {
		names = append(names, name)
	}
	slices.Sort(names)
	var diags diag.Diagnostics
	before := time.Now().Truncate(time.Millisecond)
	recordWrite(ctx, private, names, true, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := previouslyManaged(ctx, private); !slices.Equal(got, names) {
		t.Errorf("previouslyManaged = %v, want %v", got, names)
	}
	if at := lastWrite(ctx, private); at.Before(before) || at.After(time.Now()) {
		t.Errorf("lastWrite = %v, want the time of recordWrite (after %v)", at, before)
	}
}

// The private state of a typical user stays small: Terraform stores it in
// every instance and rewrites all of them after each change in an apply.
func TestRecordWriteKeepsPrivateStateSmall(t *testing.T) {
	ctx := context.Background()
	private := fakePrivate{}
	var diags diag.Diagnostics
	recordWrite(ctx, private, []string{"active", "display_name", "emails", "name", "title", "user_name"}, false, &diags)
	stored, _ := json.Marshal(map[string][]byte(private)) // the framework's encoding of private state
	if n := base64.StdEncoding.EncodedLen(len(stored)); n > 40 {
		t.Errorf("private state takes %d bytes in the state file (%s), want at most 40", n, stored)
	}
	if _, ok := private[privateWrittenAt]; ok {
		t.Errorf("a write time was kept although no consistency window reads it: %s", stored)
	}
	if at := lastWrite(ctx, private); !at.IsZero() {
		t.Errorf("lastWrite = %v without a recorded time, want zero", at)
	}
}

func TestDecodeManagedSkipsUnknownCodes(t *testing.T) {
	if got := decodeManaged("aU#"); !slices.Equal(got, []string{"active", "user_name"}) {
		t.Errorf("decodeManaged = %v, want [active user_name]", got)
	}
}
