package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// Private state: what a scim_user's (or scim_group's) configuration managed at its last
// apply (see userAttrPaths) and, where the app applies writes late, when
// this provider last wrote the object (see scim.Client.ReadAfterWrite).
//
// Terraform keeps private state in every resource instance and writes the
// whole state file again after each instance an apply changes, so its size
// is paid once per instance per write: quadratic in the number of
// resources, and each byte is base64-encoded twice on the way into the
// state file. Hence the rule: one-letter keys and codes, and no write time
// where no consistency window will read it.
const (
	privateManaged   = "m" // managedCodes of the managed attributes, as a JSON string
	privateWrittenAt = "w" // Unix milliseconds, as a JSON number
	// privateWitness is the id of a member a group had at its last read, as
	// a JSON string: an object of this tenant, asked when the group answers
	// 404 (see scim.Client.ManagedRead).
	privateWitness = "t"
)

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// recordWrite remembers, in private state, the managed attribute names
// (nil for resources that have none) and, when keepTime is set, the time of
// this write.
func recordWrite(ctx context.Context, private privateSetter, managed []string, keepTime bool, diags *diag.Diagnostics) {
	if managed != nil {
		recordManaged(ctx, private, managed, diags)
	}
	var at []byte
	if keepTime {
		at, _ = json.Marshal(time.Now().UnixMilli())
	}
	diags.Append(private.SetKey(ctx, privateWrittenAt, at)...)
}

// recordManaged remembers the attribute names the configuration manages.
func recordManaged(ctx context.Context, private privateSetter, managed []string, diags *diag.Diagnostics) {
	b, _ := json.Marshal(encodeManaged(managed))
	diags.Append(private.SetKey(ctx, privateManaged, b)...)
}

// lastWrite returns when this provider last wrote the object, or the zero
// time when private state holds none (imported objects, apps without a
// consistency window).
func lastWrite(ctx context.Context, private privateGetter) time.Time {
	b, _ := private.GetKey(ctx, privateWrittenAt)
	var ms int64
	if json.Unmarshal(b, &ms) == nil && ms > 0 {
		return time.UnixMilli(ms)
	}
	return time.Time{}
}

// previouslyManaged reads the attribute names managed at the last apply.
func previouslyManaged(ctx context.Context, private privateGetter) []string {
	if private == nil {
		return nil
	}
	b, _ := private.GetKey(ctx, privateManaged)
	var codes string
	_ = json.Unmarshal(b, &codes)
	return decodeManaged(codes)
}

// encodeManaged turns attribute names into their codes, in the names' order.
func encodeManaged(names []string) string {
	var b strings.Builder
	for _, name := range names {
		if code, ok := managedCodes[name]; ok {
			b.WriteByte(code)
		}
	}
	return b.String()
}

// decodeManaged turns codes back into sorted attribute names; a code this
// build does not know (state written by a newer one) is skipped.
func decodeManaged(codes string) []string {
	names := []string{}
	for name, code := range managedCodes {
		if strings.IndexByte(codes, code) >= 0 {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// tenantWitness returns the member id recorded by recordTenantWitness, or "".
func tenantWitness(ctx context.Context, private privateGetter) string {
	var id string
	if b, _ := private.GetKey(ctx, privateWitness); len(b) > 0 {
		_ = json.Unmarshal(b, &id)
	}
	return id
}

// recordTenantWitness keeps one of members as the group's witness of its
// tenant; a witness still among them is kept, so reads do not rewrite it.
func recordTenantWitness(ctx context.Context, before privateGetter, after privateSetter, members []string, diags *diag.Diagnostics) {
	if len(members) == 0 || slices.Contains(members, tenantWitness(ctx, before)) {
		return
	}
	b, _ := json.Marshal(members[0])
	diags.Append(after.SetKey(ctx, privateWitness, b)...)
}
