package provider

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The randomized lifecycle checker's model: what the configuration says
// (users, groups with authoritative members, scim_group_member
// resources), what Terraform once managed and let go, and what was made by
// hand in the app. Steps change the model or the app; the checker then
// compares the app with the model (see checker_test.go).

type chkUser struct {
	key, userName                  string
	displayName, title, externalID string // "" is unset
	// wired users take display_name, title and external_id from a
	// terraform_data output, so a change is unknown until apply.
	wired bool
	// unwritten: imported and not written by an apply since, so the
	// attributes its configuration set are not recorded as managed, and
	// one removed from the configuration is left as the app holds it
	// (Terraform saves what a provider records only when it applies a
	// change; see the scim_user page).
	unwritten bool
	// cleared lists the attributes set before and since removed from the
	// configuration: the app must not keep the values Terraform wrote.
	cleared map[string]string
}

type chkGroup struct {
	key, displayName string
	externalID       string
	// authoritative groups set members; the others take scim_group_member
	// resources and keep members added by hand.
	authoritative bool
	members       []string // user keys
}

type chkMembership struct{ key, group, user string }

type chkModel struct {
	prefix      string
	users       []*chkUser
	groups      []*chkGroup
	memberships []*chkMembership
	// released are userNames and displayNames Terraform destroyed.
	releasedUsers, releasedGroups []string
	next                          int
	// imports are the import blocks of the next apply (address -> id).
	imports map[string]string
}

func (m *chkModel) newKey(kind string) string {
	m.next++
	return fmt.Sprintf("%s%d", kind, m.next)
}

// chkStep is one step of a sequence: an intent resolved against the model
// when it runs (pick chooses among the candidates then), so that dropping
// steps while shrinking leaves the rest meaningful.
type chkStep struct {
	kind  string
	pick  float64
	pick2 float64
	pick3 float64
	// fault, when set, is armed for the apply that follows the step.
	fault *chkFault
}

func (s chkStep) String() string {
	out := fmt.Sprintf("%s(%.2f,%.2f)", s.kind, s.pick, s.pick2)
	if s.fault != nil {
		out += " with " + s.fault.String()
	}
	return out
}

// chkFault is one fault of the proxy: the nth write (POST, PUT, PATCH,
// DELETE) of method (any write when "") is answered with kind.
type chkFault struct {
	kind   string
	method string
	nth    int
}

func (f chkFault) String() string {
	m := f.method
	if m == "" {
		m = "write"
	}
	return fmt.Sprintf("%s on %s #%d", f.kind, m, f.nth)
}

// Fault kinds: before the app acts, or after it acted (a lost answer).
var chkFaultKinds = []string{"503-before", "502-after", "reset-after", "429", "slow-after"}

// Step kinds, with the weight of each in generated sequences.
var chkStepWeights = []struct {
	kind   string
	weight int
	groups bool // needs an app with groups
}{
	{"add-user", 6, false},
	{"remove-user", 3, false},
	{"edit-user", 6, false},
	{"clear-user-attribute", 2, false},
	{"add-group", 4, true},
	{"remove-group", 2, true},
	{"rename-group", 2, true},
	{"set-members", 4, true},
	{"add-membership", 4, true},
	{"remove-membership", 2, true},
	{"wire-user", 2, false},
	{"reimport", 3, false},
	{"adopt-hand-user", 2, false},
	{"hand-drift-user", 2, false},
	{"hand-deactivate-user", 2, false},
	{"hand-delete-user", 2, false},
	{"hand-delete-group", 2, true},
	{"hand-made-user", 1, false},
	{"hand-made-group-same-name", 1, true},
	{"hand-member-in-open-group", 1, true},
}

// generateSteps draws n steps from seed; about one in four carries a fault.
func generateSteps(seed uint64, n int, groups bool) []chkStep {
	rng := rand.New(rand.NewPCG(seed, seed^0x11fe))
	total := 0
	for _, w := range chkStepWeights {
		if groups || !w.groups {
			total += w.weight
		}
	}
	steps := make([]chkStep, 0, n)
	// Start from something to change.
	steps = append(steps, chkStep{kind: "add-user"}, chkStep{kind: "add-user"})
	for len(steps) < n {
		r := rng.IntN(total)
		var kind string
		for _, w := range chkStepWeights {
			if !groups && w.groups {
				continue
			}
			if r < w.weight {
				kind = w.kind
				break
			}
			r -= w.weight
		}
		s := chkStep{kind: kind, pick: rng.Float64(), pick2: rng.Float64(), pick3: rng.Float64()}
		if !strings.HasPrefix(kind, "hand-") && rng.IntN(4) == 0 {
			methods := []string{"", "POST", "PATCH", "DELETE"}
			s.fault = &chkFault{kind: chkFaultKinds[rng.IntN(len(chkFaultKinds))],
				method: methods[rng.IntN(len(methods))], nth: 1 + rng.IntN(2)}
		}
		steps = append(steps, s)
	}
	return steps[:n]
}

func pickOf[T any](items []T, p float64) (T, bool) {
	var zero T
	if len(items) == 0 {
		return zero, false
	}
	return items[min(int(p*float64(len(items))), len(items)-1)], true
}

// applyConfigStep changes the configuration model; it returns what it did,
// or "" when the step had nothing to act on.
func (m *chkModel) applyConfigStep(s chkStep) string {
	switch s.kind {
	case "add-user":
		if len(m.users) >= 6 {
			return ""
		}
		key := m.newKey("u")
		u := &chkUser{key: key, userName: fmt.Sprintf("%s-%s@example.com", m.prefix, key),
			displayName: "User " + key, cleared: map[string]string{}}
		if s.pick < 0.5 {
			u.title = "Title " + key
		}
		if s.pick2 < 0.5 {
			u.externalID = "ext-" + key
		}
		u.wired = s.pick3 < 0.3
		m.users = append(m.users, u)
		if u.wired {
			return "add user " + key + " (values through terraform_data)"
		}
		return "add user " + key
	case "remove-user":
		u, ok := pickOf(m.users, s.pick)
		if !ok || len(m.users) < 2 {
			return ""
		}
		m.users = slices.DeleteFunc(m.users, func(x *chkUser) bool { return x == u })
		for _, g := range m.groups {
			g.members = slices.DeleteFunc(g.members, func(k string) bool { return k == u.key })
		}
		m.memberships = slices.DeleteFunc(m.memberships, func(x *chkMembership) bool { return x.user == u.key })
		m.releasedUsers = append(m.releasedUsers, u.userName)
		return "remove user " + u.key
	case "edit-user":
		u, ok := pickOf(m.users, s.pick)
		if !ok {
			return ""
		}
		m.next++
		value := fmt.Sprintf("v%d", m.next)
		u.unwritten = false // the change is written
		switch int(s.pick2 * 3) {
		case 0:
			u.displayName = "User " + u.key + " " + value
			return "set display_name of " + u.key
		case 1:
			u.title = "Title " + value
			delete(u.cleared, "title")
			return "set title of " + u.key
		default:
			u.externalID = "ext-" + u.key + "-" + value
			delete(u.cleared, "externalId")
			return "set external_id of " + u.key
		}
	case "wire-user":
		u, ok := pickOf(m.users, s.pick)
		if !ok {
			return ""
		}
		u.wired = !u.wired
		u.unwritten = false // the title changes: the user is written
		// The value changes with the wiring, so the plan holds an unknown.
		m.next++
		u.title = fmt.Sprintf("Title v%d", m.next)
		delete(u.cleared, "title")
		return fmt.Sprintf("wire %s through terraform_data: %v (title changed)", u.key, u.wired)
	case "clear-user-attribute":
		u, ok := pickOf(m.users, s.pick)
		if !ok {
			return ""
		}
		kept := ""
		if u.unwritten {
			kept = " (never written since its import: the app keeps it)"
		}
		if s.pick2 < 0.5 && u.title != "" {
			if !u.unwritten {
				u.cleared["title"] = u.title
			}
			u.title = ""
			return "clear title of " + u.key + kept
		}
		if u.externalID != "" {
			if !u.unwritten {
				u.cleared["externalId"] = u.externalID
			}
			u.externalID = ""
			return "clear external_id of " + u.key + kept
		}
		return ""
	case "add-group":
		if len(m.groups) >= 3 {
			return ""
		}
		key := m.newKey("g")
		g := &chkGroup{key: key, displayName: fmt.Sprintf("%s %s", m.prefix, key), authoritative: s.pick < 0.5}
		if s.pick2 < 0.5 {
			g.externalID = "gext-" + key
		}
		if g.authoritative {
			g.members = m.someUsers(s.pick2)
		}
		m.groups = append(m.groups, g)
		return fmt.Sprintf("add group %s (authoritative %v, members %v)", key, g.authoritative, g.members)
	case "remove-group":
		g, ok := pickOf(m.groups, s.pick)
		if !ok {
			return ""
		}
		m.groups = slices.DeleteFunc(m.groups, func(x *chkGroup) bool { return x == g })
		m.memberships = slices.DeleteFunc(m.memberships, func(x *chkMembership) bool { return x.group == g.key })
		m.releasedGroups = append(m.releasedGroups, g.displayName)
		return "remove group " + g.key
	case "rename-group":
		g, ok := pickOf(m.groups, s.pick)
		if !ok {
			return ""
		}
		m.next++
		g.displayName = fmt.Sprintf("%s %s r%d", m.prefix, g.key, m.next)
		return "rename group " + g.key
	case "set-members":
		var auth []*chkGroup
		for _, g := range m.groups {
			if g.authoritative {
				auth = append(auth, g)
			}
		}
		g, ok := pickOf(auth, s.pick)
		if !ok {
			return ""
		}
		g.members = m.someUsers(s.pick2)
		return fmt.Sprintf("set members of %s to %v", g.key, g.members)
	case "add-membership":
		var open []*chkGroup
		for _, g := range m.groups {
			if !g.authoritative {
				open = append(open, g)
			}
		}
		g, ok := pickOf(open, s.pick)
		if !ok {
			return ""
		}
		var candidates []*chkUser
		for _, u := range m.users {
			if !slices.ContainsFunc(m.memberships, func(x *chkMembership) bool { return x.group == g.key && x.user == u.key }) {
				candidates = append(candidates, u)
			}
		}
		u, ok := pickOf(candidates, s.pick2)
		if !ok {
			return ""
		}
		ms := &chkMembership{key: m.newKey("m"), group: g.key, user: u.key}
		m.memberships = append(m.memberships, ms)
		return fmt.Sprintf("add membership %s of %s in %s", ms.key, u.key, g.key)
	case "remove-membership":
		ms, ok := pickOf(m.memberships, s.pick)
		if !ok {
			return ""
		}
		m.memberships = slices.DeleteFunc(m.memberships, func(x *chkMembership) bool { return x == ms })
		return "remove membership " + ms.key
	}
	return ""
}

// someUsers picks a subset of the users, by the bits of p.
func (m *chkModel) someUsers(p float64) []string {
	bits := int(p * 64)
	var out []string
	for i, u := range m.users {
		if bits&(1<<(i%6)) != 0 {
			out = append(out, u.key)
		}
	}
	return out
}

// config renders the model as a Terraform configuration.
func (m *chkModel) config(provider string) string {
	var b strings.Builder
	b.WriteString(provider)
	for _, address := range slices.Sorted(maps.Keys(m.imports)) {
		fmt.Fprintf(&b, "\nimport {\n  to = %s\n  id = %q\n}\n", address, m.imports[address])
	}
	for _, u := range m.users {
		hcl := func(v string) string {
			if v == "" {
				return "null"
			}
			return strconv.Quote(v)
		}
		values := map[string]string{"display_name": hcl(u.displayName), "title": hcl(u.title), "external_id": hcl(u.externalID)}
		if u.wired {
			fmt.Fprintf(&b, "\nresource \"terraform_data\" %q {\n  input = {\n", u.key)
			for _, attr := range []string{"display_name", "title", "external_id"} {
				fmt.Fprintf(&b, "    %s = %s\n", attr, values[attr])
				values[attr] = fmt.Sprintf("terraform_data.%s.output.%s", u.key, attr)
			}
			b.WriteString("  }\n}\n")
		}
		fmt.Fprintf(&b, "\nresource \"scim_user\" %q {\n  user_name = %q\n", u.key, u.userName)
		fmt.Fprintf(&b, "  name = {\n    given_name = \"Given\"\n    family_name = %q\n  }\n", "Family "+u.key)
		for _, attr := range []string{"display_name", "title", "external_id"} {
			if values[attr] != "null" {
				fmt.Fprintf(&b, "  %s = %s\n", attr, values[attr])
			}
		}
		b.WriteString("}\n")
	}
	for _, g := range m.groups {
		fmt.Fprintf(&b, "\nresource \"scim_group\" %q {\n  display_name = %q\n", g.key, g.displayName)
		if g.externalID != "" {
			fmt.Fprintf(&b, "  external_id = %q\n", g.externalID)
		}
		if g.authoritative {
			refs := make([]string, 0, len(g.members))
			for _, k := range g.members {
				refs = append(refs, "scim_user."+k+".id")
			}
			fmt.Fprintf(&b, "  members = [%s]\n", strings.Join(refs, ", "))
		}
		b.WriteString("}\n")
	}
	for _, ms := range m.memberships {
		fmt.Fprintf(&b, "\nresource \"scim_group_member\" %q {\n  group_id = scim_group.%s.id\n  member_id = scim_user.%s.id\n}\n",
			ms.key, ms.group, ms.user)
	}
	return b.String()
}
