package scim

// Member is one member of a Group (RFC 7643 section 4.2).
type Member struct {
	Value   string
	Type    string
	Display string
}

// Group is a SCIM Group resource.
type Group struct {
	ID          string
	DisplayName string
	ExternalID  string
	Members     []Member
	// MembersKnown is false when the server did not return members, which
	// is not the same as an empty group.
	MembersKnown bool
	Meta         Meta
}

// MemberIDs returns the member values, without repeats.
func (g *Group) MemberIDs() []string {
	seen := map[string]bool{}
	var ids []string
	for _, m := range g.Members {
		if m.Value != "" && !seen[m.Value] {
			seen[m.Value] = true
			ids = append(ids, m.Value)
		}
	}
	return ids
}

func decodeGroup(o jsonObject) *Group {
	g := &Group{ID: o.str("id"), DisplayName: o.str("displayName"), ExternalID: o.str("externalId"), Meta: decodeMeta(o)}
	if list, ok := o.list("members"); ok {
		g.MembersKnown = true
		for _, item := range list {
			if m, ok := item.(map[string]any); ok {
				mo := jsonObject(m)
				g.Members = append(g.Members, Member{Value: mo.str("value"), Type: mo.str("type"), Display: mo.str("display")})
			}
		}
	} else if v, present := o.get("members"); present && v == nil {
		g.MembersKnown = true // "members": null is an empty group
	}
	return g
}

// MembersOf returns members with these ids and nothing else.
func MembersOf(ids []string) []Member {
	out := make([]Member, 0, len(ids))
	for _, id := range ids {
		out = append(out, Member{Value: id})
	}
	return out
}
