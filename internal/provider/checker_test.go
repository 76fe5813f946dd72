package provider

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The randomized lifecycle checker (model-based testing). From a seed it
// draws a sequence of steps: configuration edits (users and groups added,
// removed, renamed, attributes set and cleared, attributes wired through a
// terraform_data output so that they are unknown until apply, authoritative
// members and scim_group_member resources, imports by id of objects
// Terraform forgot and of users made by hand), changes made in the app by hand (edits,
// deactivations, deletions, hand-made objects with colliding names) and
// faults of a proxy in front of the app (5xx before and after the app
// acted, resets, 429s, answers later than request_timeout). Terraform
// applies with its default parallelism. After each step it reads the app
// directly and checks:
//   - a faulted apply that failed said what went wrong (an Error with
//     detail), and the next apply without faults succeeds;
//   - the app holds each configured object once, as configured (active
//     users, names, titles, external ids; groups and their members);
//   - objects Terraform released are deactivated or gone, never active;
//   - objects made by hand are never changed, claimed or deleted, and
//     members added by hand to groups without authoritative members stay;
//   - the next plan is empty.
// A failure prints the seed and the steps, shrunk to a shorter sequence
// that still fails.
//
// Runs: SCIM_CHECK_SEEDS (comma-separated, default "1"), SCIM_CHECK_STEPS
// (default 8), SCIM_CHECK_TARGETS (a regexp over target names, default:
// the presets in chkDefaultTargets and the third-party servers when
// SCIM_INTEROP_ENDPOINTS is set). make check-random sets them.

const chkRequestTimeout = 2 * time.Second

// chkDefaultTargets are the local models the bounded run of `make test`
// covers; SCIM_CHECK_TARGETS=. runs every preset.
var chkDefaultTargets = "^(generic|aws|entra|hoppscotch|hyperproof|scimmy|elimity)$"

func TestAccRandomLifecycle(t *testing.T) {
	testAccPreCheck(t)
	seeds := chkEnvList(t, "SCIM_CHECK_SEEDS", "1")
	steps := chkEnvInt(t, "SCIM_CHECK_STEPS", 8)
	pattern := os.Getenv("SCIM_CHECK_TARGETS")
	if pattern == "" {
		pattern = chkDefaultTargets
	}
	targets := regexp.MustCompile(pattern)
	var apps []func(*testing.T) *chkApp
	var names []string
	for _, dc := range dialectCases {
		if targets.MatchString(dc.server) {
			names = append(names, dc.server)
			apps = append(apps, func(t *testing.T) *chkApp { return localChkApp(t, dc) })
		}
	}
	if os.Getenv(interopEnv) != "" {
		for name, endpoint := range interopEndpoints(t) {
			if targets.MatchString(name) {
				names = append(names, name)
				apps = append(apps, func(*testing.T) *chkApp { return remoteChkApp(name, endpoint) })
			}
		}
	}
	for i, name := range names {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", name, seed), func(t *testing.T) {
				t.Parallel()
				app := apps[i](t)
				sequence := generateSteps(seed, steps, app.groups)
				run := &chkRun{t: t, seed: seed, attempt: 0}
				failure, trace, failedAt := run.play(app, sequence)
				if failure == "" {
					t.Logf("%d steps, no invariant broken:\n%s", len(sequence), trace)
					return
				}
				shrunk, shrunkFailure, shrunkTrace := run.shrink(app, sequence, failure, failedAt)
				t.Fatalf("seed %d on %s: %s\nsteps:\n%s\nshrunk to %d steps (%s):\n%s\nre-run: make check-random SEED=%d STEPS=%d TARGETS='^%s$'",
					seed, name, failure, trace, len(shrunk), shrunkFailure, shrunkTrace, seed, steps, name)
			})
		}
	}
}

// chkRun plays sequences for one seed; each play uses names of its own, so
// that plays on a third-party server (which keeps its objects) never meet.
type chkRun struct {
	t       *testing.T
	seed    uint64
	attempt int
}

// chkState is what the checker knows beside the model: the app's objects
// made by hand and the members added by hand.
type chkState struct {
	model       *chkModel
	handObjects map[string]string   // "Users/id" -> fingerprint
	handMembers map[string][]string // group key -> hand-made user ids
	// handUsers are the ids of users made by hand that a configuration may
	// adopt by import (those added to groups by hand are not offered).
	handUsers []string
}

// play runs a sequence on a fresh Terraform directory and returns the
// first broken invariant ("" for none), the trace of resolved steps and
// how many steps ran up to the failure.
func (r *chkRun) play(app *chkApp, steps []chkStep) (string, string, int) {
	t := r.t
	r.attempt++
	app = app.fresh(t)
	proxy := newChkProxy(t, app.endpoint, chkRequestTimeout)
	provider := fmt.Sprintf("provider \"scim\" {\n  endpoint = %q\n  token = %q\n  request_timeout = %q\n  %s\n}\n",
		proxy.URL, app.token, chkRequestTimeout.String(), app.settings)
	dir := newTFDir(t)
	st := &chkState{
		model:       &chkModel{prefix: fmt.Sprintf("chk%d-%d-%d", r.seed, r.attempt, time.Now().UnixNano()%100000)},
		handObjects: map[string]string{},
		handMembers: map[string][]string{},
	}
	var trace strings.Builder
	for i, step := range steps {
		did := st.model.applyConfigStep(step)
		if did == "" {
			did = st.handStep(t, app, step)
		}
		if did == "" {
			did = st.importStep(t, app, dir, step)
		}
		if did == "" {
			did = "nothing to do"
		}
		fmt.Fprintf(&trace, "  %2d. %-40s %s", i+1, step.kind, did)
		dir.write(st.model.config(provider))
		proxy.arm(step.fault)
		code, out := dir.run("apply", "-auto-approve", "-no-color")
		proxy.disarm()
		if step.fault != nil && len(proxy.firedFaults()) == 0 {
			fmt.Fprintf(&trace, " [%s armed, never fired]", step.fault)
		}
		if fired := proxy.firedFaults(); len(fired) > 0 {
			fmt.Fprintf(&trace, " [fault: %s; apply exit %d]", strings.Join(fired, ", "), code)
			if code != 0 && !strings.Contains(out, "Error: ") {
				trace.WriteString("\n")
				return fmt.Sprintf("step %d: a faulted apply failed without a diagnostic:\n%s", i+1, out), trace.String(), i + 1
			}
			if code != 0 {
				code, out = dir.run("apply", "-auto-approve", "-no-color")
			}
		}
		trace.WriteString("\n")
		if code != 0 {
			return fmt.Sprintf("step %d: apply failed:\n%s", i+1, chkTail(out)), trace.String(), i + 1
		}
		if problem := st.check(t, app); problem != "" {
			return fmt.Sprintf("step %d: %s", i+1, problem), trace.String(), i + 1
		}
		if code, out := dir.run("plan", "-detailed-exitcode", "-no-color"); code != 0 {
			return fmt.Sprintf("step %d: the plan after apply is not empty (exit %d):\n%s", i+1, code, chkTail(out)), trace.String(), i + 1
		}
		st.model.imports = nil // done: an import block of a later removed resource would not plan
	}
	if code, out := dir.run("destroy", "-auto-approve", "-no-color"); code != 0 {
		return "destroy failed:\n" + chkTail(out), trace.String(), len(steps)
	}
	for _, u := range st.model.users {
		st.model.releasedUsers = append(st.model.releasedUsers, u.userName)
	}
	for _, g := range st.model.groups {
		st.model.releasedGroups = append(st.model.releasedGroups, g.displayName)
	}
	st.model.users, st.model.groups, st.model.memberships = nil, nil, nil
	if problem := st.check(t, app); problem != "" {
		return "after destroy: " + problem, trace.String(), len(steps)
	}
	return "", trace.String(), len(steps)
}

// handStep makes a change in the app by hand; "" when it had nothing to act on.
func (st *chkState) handStep(t *testing.T, app *chkApp, s chkStep) string {
	m := st.model
	managedUser := func() (*chkUser, map[string]any) {
		u, ok := pickOf(m.users, s.pick)
		if !ok {
			return nil, nil
		}
		found := usersNamed(app.users(t), u.userName)
		if len(found) != 1 {
			return nil, nil
		}
		return u, found[0]
	}
	managedGroup := func(open bool) (*chkGroup, map[string]any) {
		var candidates []*chkGroup
		for _, g := range m.groups {
			if !open || !g.authoritative {
				candidates = append(candidates, g)
			}
		}
		g, ok := pickOf(candidates, s.pick)
		if !ok {
			return nil, nil
		}
		found := st.managedGroups(app.groupsList(t), g.displayName)
		if len(found) != 1 {
			return nil, nil
		}
		return g, found[0]
	}
	switch s.kind {
	case "hand-drift-user":
		if u, doc := managedUser(); u != nil {
			app.modify(t, "Users", fmt.Sprint(doc["id"]), func(d map[string]any) { d["title"] = "Changed by hand" })
			u.unwritten = u.unwritten && u.title == "" // a configured title is written back
			return "title of " + u.key + " changed in the app"
		}
	case "hand-deactivate-user":
		if u, doc := managedUser(); u != nil {
			app.modify(t, "Users", fmt.Sprint(doc["id"]), func(d map[string]any) { d["active"] = false })
			u.unwritten = false // reactivated
			return u.key + " deactivated in the app"
		}
	case "hand-delete-user":
		if u, doc := managedUser(); u != nil {
			app.remove(t, "Users", fmt.Sprint(doc["id"]))
			u.unwritten = false // created again
			return u.key + " deleted in the app"
		}
	case "hand-delete-group":
		if g, doc := managedGroup(false); g != nil {
			app.remove(t, "Groups", fmt.Sprint(doc["id"]))
			delete(st.handMembers, g.key)
			return g.key + " deleted in the app"
		}
	case "hand-made-user":
		m.next++
		id := app.create(t, "Users", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": fmt.Sprintf("%s-hand%d@example.com", m.prefix, m.next), "active": true, "title": "Made by hand",
			"displayName": "Hand Made", "name": map[string]any{"givenName": "Hand", "familyName": "Made"}})
		st.recordHandMade(t, app, "Users", id)
		st.handUsers = append(st.handUsers, id)
		return "a user made by hand"
	case "hand-made-group-same-name":
		if app.uniqueGroupNames {
			return ""
		}
		var name string
		if g, ok := pickOf(m.groups, s.pick); ok && s.pick2 < 0.5 {
			name = g.displayName // the name of a managed group
		} else {
			// The name of the next group the configuration adds.
			name = fmt.Sprintf("%s g%d", m.prefix, m.next+1)
		}
		id := app.create(t, "Groups", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
			"displayName": name, "members": []any{}})
		if id == "" {
			return fmt.Sprintf("a group named %q refused by the app (names are unique)", name)
		}
		st.recordHandMade(t, app, "Groups", id)
		return fmt.Sprintf("a group named %q made by hand", name)
	case "hand-member-in-open-group":
		g, doc := managedGroup(true)
		if g == nil {
			return ""
		}
		m.next++
		uid := app.create(t, "Users", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": fmt.Sprintf("%s-member%d@example.com", m.prefix, m.next), "active": true,
			"displayName": "Hand Member", "name": map[string]any{"givenName": "Hand", "familyName": "Member"}})
		st.recordHandMade(t, app, "Users", uid)
		app.modify(t, "Groups", fmt.Sprint(doc["id"]), func(d map[string]any) {
			d["members"] = append(asSlice(d["members"]), map[string]any{"value": uid})
		})
		st.handMembers[g.key] = append(st.handMembers[g.key], uid)
		return "a user made by hand added to " + g.key + " in the app"
	}
	return ""
}

// importStep imports by SCIM id: a managed object Terraform forgot (state
// rm) or a user made by hand that the configuration adopts; "" when it had
// nothing to act on.
func (st *chkState) importStep(t *testing.T, app *chkApp, dir *tfDir, s chkStep) string {
	m := st.model
	switch s.kind {
	case "reimport":
		ids := dir.stateIDs()
		var addresses []string
		for _, u := range m.users {
			addresses = append(addresses, "scim_user."+u.key)
		}
		for _, g := range m.groups {
			addresses = append(addresses, "scim_group."+g.key)
		}
		for _, ms := range m.memberships {
			addresses = append(addresses, "scim_group_member."+ms.key)
		}
		address, ok := pickOf(addresses, s.pick)
		if !ok || ids[address] == "" {
			return ""
		}
		id := ids[address]
		if key, ok := strings.CutPrefix(address, "scim_group_member."); ok {
			ms := m.memberships[slices.IndexFunc(m.memberships, func(x *chkMembership) bool { return x.key == key })]
			id = ids["scim_group."+ms.group] + "/" + ids["scim_user."+ms.user]
		}
		if key, ok := strings.CutPrefix(address, "scim_user."); ok {
			m.users[slices.IndexFunc(m.users, func(u *chkUser) bool { return u.key == key })].unwritten = true
		}
		dir.mustRun("state", "rm", address)
		if m.imports == nil {
			m.imports = map[string]string{}
		}
		m.imports[address] = id
		return fmt.Sprintf("forget %s (state rm) and import it by id %s", address, id)
	case "adopt-hand-user":
		id, ok := pickOf(st.handUsers, s.pick)
		if !ok || len(m.users) >= 7 {
			return ""
		}
		var doc map[string]any
		for _, u := range app.users(t) {
			if fmt.Sprint(u["id"]) == id {
				doc = u
			}
		}
		if doc == nil {
			t.Fatalf("the user made by hand (%s) is not listed", id)
		}
		st.handUsers = slices.DeleteFunc(st.handUsers, func(x string) bool { return x == id })
		delete(st.handObjects, "Users/"+id)
		key := m.newKey("u")
		m.users = append(m.users, &chkUser{key: key, userName: fmt.Sprint(doc["userName"]), displayName: "User " + key,
			title: "Adopted " + key, cleared: map[string]string{}, wired: s.pick2 < 0.3, unwritten: false})
		if m.imports == nil {
			m.imports = map[string]string{}
		}
		m.imports["scim_user."+key] = id
		return fmt.Sprintf("adopt the user made by hand %s as %s (import block)", id, key)
	}
	return ""
}

func (st *chkState) recordHandMade(t *testing.T, app *chkApp, rt, id string) {
	list := app.users
	if rt == "Groups" {
		list = app.groupsList
	}
	for _, doc := range list(t) {
		if fmt.Sprint(doc["id"]) == id {
			st.handObjects[rt+"/"+id] = fingerprint(doc)
			return
		}
	}
	t.Fatalf("the %s made by hand (%s) is not listed", rt, id)
}

// managedGroups are the app's groups named displayName that were not made
// by hand.
func (st *chkState) managedGroups(groups []map[string]any, displayName string) []map[string]any {
	var out []map[string]any
	for _, g := range groupsNamed(groups, displayName) {
		if _, hand := st.handObjects["Groups/"+fmt.Sprint(g["id"])]; !hand {
			out = append(out, g)
		}
	}
	return out
}

// check compares the app with the model after a successful apply.
func (st *chkState) check(t *testing.T, app *chkApp) string {
	m := st.model
	users := app.users(t)
	ids := map[string]string{}
	for _, u := range m.users {
		found := usersNamed(users, u.userName)
		if len(found) != 1 {
			return fmt.Sprintf("%d users named %s in the app, want 1", len(found), u.userName)
		}
		doc := found[0]
		ids[u.key] = fmt.Sprint(doc["id"])
		if !isActive(doc) {
			return fmt.Sprintf("user %s is inactive in the app: %v", u.key, doc)
		}
		for attr, want := range map[string]string{"displayName": u.displayName, "title": u.title, "externalId": u.externalID} {
			if want != "" && fmt.Sprint(doc[attr]) != want {
				return fmt.Sprintf("user %s: %s is %v in the app, want %q", u.key, attr, doc[attr], want)
			}
		}
		for attr, old := range u.cleared {
			if fmt.Sprint(doc[attr]) == old {
				return fmt.Sprintf("user %s: %s was removed from the configuration but the app keeps %q", u.key, attr, old)
			}
		}
	}
	for _, name := range m.releasedUsers {
		for _, doc := range usersNamed(users, name) {
			if isActive(doc) && !slices.ContainsFunc(m.users, func(u *chkUser) bool { return strings.EqualFold(u.userName, name) }) {
				return fmt.Sprintf("user %s was destroyed but is still active in the app", name)
			}
		}
	}
	if app.groups {
		groups := app.groupsList(t)
		for _, g := range m.groups {
			found := st.managedGroups(groups, g.displayName)
			if len(found) != 1 {
				return fmt.Sprintf("%d groups named %q in the app besides those made by hand, want 1", len(found), g.displayName)
			}
			doc := found[0]
			if g.externalID != "" && fmt.Sprint(doc["externalId"]) != g.externalID {
				return fmt.Sprintf("group %s: externalId is %v, want %q", g.key, doc["externalId"], g.externalID)
			}
			have := chkMemberIDs(doc)
			var want []string
			if g.authoritative {
				for _, k := range g.members {
					want = append(want, ids[k])
				}
			} else {
				for _, ms := range m.memberships {
					if ms.group == g.key {
						want = append(want, ids[ms.user])
					}
				}
				want = append(want, st.handMembers[g.key]...)
			}
			if g.authoritative {
				if !sameSet(have, want) {
					return fmt.Sprintf("group %s has members %v in the app, want exactly %v", g.key, have, want)
				}
			} else if missing := missingFrom(want, have); len(missing) > 0 {
				return fmt.Sprintf("group %s lacks members %v in the app (has %v)", g.key, missing, have)
			}
		}
		for _, name := range m.releasedGroups {
			if slices.ContainsFunc(m.groups, func(g *chkGroup) bool { return strings.EqualFold(g.displayName, name) }) {
				continue
			}
			if found := st.managedGroups(groups, name); len(found) > 0 {
				return fmt.Sprintf("group %q was destroyed but is still in the app", name)
			}
		}
	}
	return st.checkHandMade(t, app)
}

// checkHandMade: objects made by hand are as they were made.
func (st *chkState) checkHandMade(t *testing.T, app *chkApp) string {
	now := map[string]string{}
	for _, doc := range app.users(t) {
		now["Users/"+fmt.Sprint(doc["id"])] = fingerprint(doc)
	}
	if app.groups {
		for _, doc := range app.groupsList(t) {
			now["Groups/"+fmt.Sprint(doc["id"])] = fingerprint(doc)
		}
	}
	for key, was := range st.handObjects {
		is, ok := now[key]
		switch {
		case !ok:
			return fmt.Sprintf("%s, made by hand, is gone", key)
		case is != was:
			return fmt.Sprintf("%s, made by hand, changed:\n  was %s\n  now %s", key, was, is)
		}
	}
	return ""
}

// shrink drops chunks of steps, halves first and then smaller ones down
// to single steps, keeping each drop after which the sequence still fails,
// within a bounded time. A play stops at its first broken invariant, so
// only the steps up to it are kept to begin with.
func (r *chkRun) shrink(app *chkApp, steps []chkStep, failure string, failedAt int) ([]chkStep, string, string) {
	deadline := time.Now().Add(4 * time.Minute)
	current, currentFailure, currentTrace := steps[:min(failedAt, len(steps))], failure, ""
	for size := len(current) / 2; size >= 1 && time.Now().Before(deadline); size /= 2 {
		for start := 0; start+size <= len(current) && time.Now().Before(deadline); {
			candidate := slices.Delete(slices.Clone(current), start, start+size)
			if f, trace, _ := r.play(app, candidate); f != "" {
				current, currentFailure, currentTrace = candidate, f, trace
				continue // the same start now holds the next chunk
			}
			start += size
		}
	}
	if currentTrace == "" {
		_, currentTrace, _ = r.play(app, current)
	}
	return current, currentFailure, currentTrace
}

func sameSet(a, b []string) bool {
	return len(missingFrom(a, b)) == 0 && len(missingFrom(b, a)) == 0 && len(a) == len(b)
}

// missingFrom returns the items of want not in have.
func missingFrom(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, w)
		}
	}
	return out
}

func chkTail(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) > 40 {
		lines = append([]string{"..."}, lines[len(lines)-40:]...)
	}
	return strings.Join(lines, "\n")
}

func chkEnvInt(t *testing.T, name string, fallback int) int {
	raw := os.Getenv(name)
	if raw == "" {
		return fallback
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive whole number", name, raw)
	}
	return n
}

func chkEnvList(t *testing.T, name, fallback string) []uint64 {
	raw := os.Getenv(name)
	if raw == "" {
		raw = fallback
	}
	var out []uint64
	for _, part := range strings.Split(raw, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(part), 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: want seeds as whole numbers separated by commas", name, raw)
		}
		out = append(out, n)
	}
	return out
}
