package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// refreshGroup brings state to what the app holds.
func refreshGroup(state *groupResourceModel, group *scim.Group, diags *diag.Diagnostics) {
	state.DisplayName = keepCaseOf(state.DisplayName, group.DisplayName)
	state.ExternalID = optionalStringValue(group.ExternalID)
	if !state.Members.IsNull() {
		// Members are compared only when managed here; otherwise they belong
		// to scim_group_member resources or to the app.
		state.Members = memberList(orderLike(state.Members.IDs(), shownMembers(*state, group)), diags)
	}
	if state.DestroyMode.IsNull() {
		state.DestroyMode = types.StringValue(destroyDelete)
	}
}

// shownMembers is the members a read shows, or, for apps whose reads never
// show members (the client then reports them unknown), the state's: such
// membership is trusted from the state and its drift cannot be seen.
func shownMembers(state groupResourceModel, group *scim.Group) []string {
	if !group.MembersKnown {
		return state.Members.IDs()
	}
	return group.MemberIDs()
}

// keepPossibleMembers records, after a failed group write, the prior
// state with every member the write may have added: a change split over
// several requests can fail after some were kept, and where members are
// read one by one (members_read = "filter") a refresh checks only the
// members the state lists, so an addition left out would never be seen.
// The refresh drops the ones the app does not show. Write-only membership
// is trusted from the state, not read: there the members that may have
// been added stay in it, so a configuration rolled back removes them (an
// absent member's removal answered noTarget is done), and one kept sends
// nothing more for them.
func keepPossibleMembers(ctx context.Context, prior groupResourceModel, current, add []string, err error,
	resp *resource.UpdateResponse) {
	// Additions never sent, or refused, are left out: kept in the state of
	// a write-only app they would never be sent again.
	var partial *scim.MemberWriteError
	if errors.As(err, &partial) {
		add = partial.MayHaveAdded
	}
	if len(add) == 0 {
		return
	}
	prior.Members = memberList(append(slices.Clone(current), missing(add, current)...), &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
	setIDIdentity(ctx, resp.Identity, prior.ID.ValueString(), &resp.Diagnostics)
}

func memberIDs(list memberListValue) []string {
	ids := uniqueIDs(list.IDs())
	sort.Strings(ids)
	return ids
}

// missing returns the ids of want that are not in have.
func missing(want, have []string) []string { return scim.MissingIDs(want, have) }

// groupFingerprint summarises what a read of a group shows (members only
// when managed), for telling a lagging read from a changed group.
func groupFingerprint(displayName string, members []string, withMembers bool) string {
	h := sha256.New()
	h.Write([]byte(strings.ToLower(displayName)))
	if withMembers {
		for _, id := range sortedIDs(uniqueIDs(members)) {
			h.Write([]byte{0})
			h.Write([]byte(id))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

const privateBeforeWrite = "before_write"

// recordPriorFingerprint remembers how the group looked before this
// provider's write: a read right after it that still shows that is lag.
func recordPriorFingerprint(ctx context.Context, private privateSetter, fingerprint string, diags *diag.Diagnostics) {
	b, _ := json.Marshal(fingerprint)
	diags.Append(private.SetKey(ctx, privateBeforeWrite, b)...)
}

func priorFingerprint(ctx context.Context, private privateGetter) string {
	b, _ := private.GetKey(ctx, privateBeforeWrite)
	var s string
	_ = json.Unmarshal(b, &s)
	return s
}

// groupWitnesses are objects of this tenant a group's 404 is weighed
// against: its managed members, then the member recorded at its last read.
func groupWitnesses(ctx context.Context, state groupResourceModel, private privateGetter) []string {
	witnesses := state.Members.IDs()
	if id := tenantWitness(ctx, private); id != "" && !slices.Contains(witnesses, id) {
		witnesses = append(witnesses, id)
	}
	return witnesses
}
