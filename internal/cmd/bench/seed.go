package main

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// seededState writes a state holding n users as scim_user stores them
// (or, for the minimal floor, as its seven attributes hold them), with the
// given ids, so that a large plan needs no lengthy apply first.
func seededState(ids []string, minimal bool) string {
	type instance struct {
		IndexKey      int            `json:"index_key"`
		SchemaVersion int            `json:"schema_version"`
		Attributes    map[string]any `json:"attributes"`
		Sensitive     []any          `json:"sensitive_attributes"`
	}
	instances := make([]instance, len(ids))
	for i, id := range ids {
		userName := fmt.Sprintf("user%d@example.com", i)
		attrs := map[string]any{
			"id": id, "user_name": userName, "display_name": fmt.Sprintf("User %d", i), "title": "v1", "active": nil,
			"name":   map[string]any{"family_name": fmt.Sprintf("N%d", i), "given_name": "User"},
			"emails": []any{map[string]any{"value": userName, "type": "work", "primary": true}},
		}
		if !minimal {
			attrs["active"] = true
			for _, k := range []string{"external_id", "nick_name", "profile_url", "user_type", "preferred_language", "locale",
				"timezone", "phone_numbers", "roles", "entitlements", "enterprise", "extensions", "password_wo",
				"password_wo_version", "timeouts"} {
				attrs[k] = nil
			}
			attrs["destroy_mode"], attrs["adopt_existing"] = "deactivate", false
			attrs["name"] = map[string]any{"formatted": nil, "family_name": fmt.Sprintf("N%d", i), "given_name": "User",
				"middle_name": nil, "honorific_prefix": nil, "honorific_suffix": nil}
			attrs["emails"] = []any{map[string]any{"value": userName, "type": "work", "display": nil, "primary": true}}
		}
		instances[i] = instance{IndexKey: i, Attributes: attrs, Sensitive: []any{}}
	}
	state := map[string]any{
		"version": 4, "terraform_version": "1.8.5", "serial": 1, "lineage": "bench-seeded-state", "outputs": map[string]any{},
		"resources": []any{map[string]any{
			"mode": "managed", "type": "scim_user", "name": "u",
			"provider": `provider["registry.terraform.io/scim-terraform/scim"]`, "instances": instances,
		}},
	}
	data, _ := json.Marshal(state)
	return string(data)
}

// seedUsers stores users 0..n-1 on the server as the configuration
// declares them, and returns their ids (made-up ones without a server).
func seedUsers(server *localServer, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		userName := fmt.Sprintf("user%d@example.com", i)
		ids[i] = fmt.Sprintf("seed-%06d", i)
		if server != nil {
			ids[i] = server.Put("Users", map[string]any{
				"userName": userName, "displayName": fmt.Sprintf("User %d", i), "title": "v1", "active": true,
				"name":   map[string]any{"givenName": "User", "familyName": fmt.Sprintf("N%d", i)},
				"emails": []any{map[string]any{"value": userName, "type": "work", "primary": true}},
			})
		}
	}
	return ids
}

// seededPlan plans, without changes, `managed` users of a tenant of
// `tenant` users, from a seeded state, and returns the wall time, CPU and
// provider's peak memory, and the server with its request log.
func (b *bench) seededPlan(kind, name string, managed, tenant int, opts scimtest.Options) (usage, *localServer) {
	bin, env := b.binary(kind)
	var server *localServer
	if kind == "scim" {
		var err error
		if server, err = startServer(opts); err != nil {
			log.Fatal(err)
		}
	}
	ids := seedUsers(server, tenant)[:managed]
	ws, err := newWorkspace(b.opts, name, server, env...)
	if err != nil {
		log.Fatal(err)
	}
	must(ws.write("main.tf", usersConfig(managed, 0)))
	must(ws.write("terraform.tfstate", seededState(ids, kind == "minimal" || kind == "protocol-minimal")))
	if _, err := ws.timed(bin, 0, "init"); err != nil {
		log.Fatal(err)
	}
	if server != nil {
		server.ResetCounts()
	}
	u, err := ws.timed(bin, 0, "plan", "-detailed-exitcode")
	if err != nil {
		log.Fatalf("%s %s: %v", name, kind, err)
	}
	return u, server
}

// bigPlan measures a no-change plan over many users, and the provider's
// memory, against both floors.
func (b *bench) bigPlan() {
	n := b.opts.bigUsers
	kinds := []string{"scim", "floor", "minimal"}
	results := make([]stepResults, len(kinds))
	// The kinds take turns run by run, as in lifecycles.
	for run := 0; run < b.opts.runs; run++ {
		for i, kind := range kinds {
			u, server := b.seededPlan(kind, fmt.Sprintf("bigplan-%s-%d", kind, run), n, n, scimtest.Options{})
			r := &results[i]
			r.walls, r.peak = append(r.walls, u.took.Seconds()), max(r.peak, u.peakMiB)
			r.terraformCPU, r.providerCPU = append(r.terraformCPU, u.terraformCPU), append(r.providerCPU, u.providerCPU)
			if server != nil {
				r.reqs = server.apiRequests()
				server.close()
			}
		}
	}
	for i, kind := range kinds {
		r := results[i]
		m := measurement{Scenario: fmt.Sprintf("users: plan (%d)", n), Step: "plan", Provider: kind, Resources: n,
			WallS: median(r.walls), RunsS: r.walls, PeakMiB: r.peak,
			TerraformCPUS: median(r.terraformCPU), ProviderCPUS: median(r.providerCPU)}
		if kind == "scim" {
			m.Requests, m.RequestsPerResource = r.reqs, float64(r.reqs)/float64(n)
		}
		b.add(m)
	}
}

// refresh measures what refresh costs in requests: a few managed users
// in a large tenant (no listing should happen), and, behind a real rate
// limit, every user of a large tenant (bigrefresh: pages, and how long
// the requests take).
func (b *bench) refreshFew() {
	u, server := b.seededPlan("scim", "refresh-few", 10, b.opts.tenant, scimtest.Options{})
	took := u.took
	defer server.close()
	b.add(measurement{Scenario: fmt.Sprintf("refresh: 10 managed users in a tenant of %d", b.opts.tenant), Step: "refresh-few",
		Provider: "scim", Resources: 10, WallS: took.Seconds(), RunsS: []float64{took.Seconds()},
		Requests: server.apiRequests(), RequestsPerResource: float64(server.apiRequests()) / 10,
		Extra: map[string]float64{"listing requests": float64(server.Count("list"))}})
}

func (b *bench) bigRefresh() {
	n, limit := b.opts.bigUsers, b.opts.rateLimit
	u, server := b.seededPlan("scim", "bigrefresh", n, n, scimtest.Options{Quirks: scimtest.Quirks{RateLimit: limit}})
	took := u.took
	defer server.close()
	log := apiLog(server.Requests())
	span := 0.0
	if len(log) > 1 {
		span = log[len(log)-1].At.Sub(log[0].At).Seconds()
	}
	b.add(measurement{Scenario: fmt.Sprintf("refresh: %d users behind %d requests/s", n, limit), Step: "refresh-limited",
		Provider: "scim", Resources: n, WallS: took.Seconds(), RunsS: []float64{took.Seconds()},
		Requests: len(log), RequestsPerResource: float64(len(log)) / float64(n),
		Extra: map[string]float64{"seconds from first to last request": span, "rejected_429": float64(server.Count("429")),
			"listing requests": float64(server.Count("list")), "pages needed (ceil(N/100))": float64((n + 99) / 100)}})
}
