package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// membershipRefresh plans, without changes, groupSize scim_group_member
// of one group of groupSize members: each membership's refresh needs the
// group's member list, and one read of it must serve them all.
func (b *bench) membershipRefresh() {
	n := b.opts.groupSize
	server, err := startServer(scimtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer server.close()
	ids := seedUsers(server, n)
	members := make([]any, n)
	for i, id := range ids {
		members[i] = map[string]any{"value": id}
	}
	group := server.Put("Groups", map[string]any{"displayName": "Everyone", "members": members})
	var config strings.Builder
	config.WriteString(providersTF)
	fmt.Fprintf(&config, "locals {\n  members = %s\n}\n", hclList(ids))
	fmt.Fprintf(&config, "resource \"scim_group_member\" \"m\" {\n  for_each  = toset(local.members)\n  group_id  = %q\n  member_id = each.value\n}\n", group)
	ws, err := newWorkspace(b.opts, "membership-refresh", server)
	if err != nil {
		log.Fatal(err)
	}
	must(ws.write("main.tf", config.String()))
	if _, err := ws.timed(b.opts.providerBin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	if _, err := ws.timed(b.opts.providerBin, 0, "apply", "-auto-approve"); err != nil {
		log.Fatalf("membership refresh: apply: %v", err)
	}
	server.ResetCounts()
	u, err := ws.timed(b.opts.providerBin, 0, "plan", "-detailed-exitcode")
	if err != nil {
		log.Fatalf("membership refresh: plan: %v", err)
	}
	// Every answer that carries the group's member list: its GETs, and
	// listing pages of groups.
	memberLists := 0
	for _, r := range server.Requests() {
		if r.Method == "GET" && (strings.HasSuffix(r.Path, "/Groups/"+group) || strings.HasSuffix(r.Path, "/Groups")) {
			memberLists++
		}
	}
	requests := server.apiRequests()
	b.add(measurement{Scenario: fmt.Sprintf("refresh of %d memberships of one %d-member group", n, n), Step: "membership refresh",
		Provider: "scim", Resources: n, WallS: u.took.Seconds(), RunsS: []float64{u.took.Seconds()}, Requests: requests,
		RequestsPerResource: float64(requests) / float64(n), PeakMiB: u.peakMiB,
		Extra: map[string]float64{"member lists fetched": float64(memberLists)}})
}

// hclList writes strings as an HCL list.
func hclList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
