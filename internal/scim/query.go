package scim

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimfilter"
)

// Query selects users or groups to walk through: a filter the caller wrote,
// plus conveniences the client turns into filter clauses where the app
// evaluates them. Every resource the app returns is checked again against
// the conveniences and the filter (scimfilter.MayMatch), because some apps
// ignore filters or reject the operators, so a Query never yields a
// resource it certainly does not describe. What the client cannot judge
// (attributes a listing leaves out, filter forms the parser lacks) is kept.
type Query struct {
	// Filter is a SCIM filter sent as given (the caller validates it).
	Filter string
	// NamePrefix keeps resources whose userName (users) or displayName
	// (groups) starts with it, compared case-insensitively as RFC 7643
	// defines both attributes.
	NamePrefix string
	// Active, when set, keeps users whose active flag equals it.
	Active *bool
	// Limit stops the walk after this many resources (0: no limit).
	Limit int
}

// errStopWalk ends a listing early without error.
var errStopWalk = errors.New("scim: walk stopped")

// Sw builds the filter `attr sw "value"`, with the value quoted as in Eq.
func Sw(attr, value string) string {
	return attr + " sw " + quote(value)
}

// serverFilter is the filter to send: the caller's own in parentheses, and
// the conveniences when the app evaluates them.
func (q Query) serverFilter(nameAttr string, rich bool) string {
	var clauses []string
	if q.Filter != "" {
		clauses = append(clauses, "("+q.Filter+")")
	}
	if len(clauses) == 1 && (!rich || !q.narrowsHere()) {
		return q.Filter // the caller's filter alone is sent as written
	}
	if rich && q.NamePrefix != "" {
		clauses = append(clauses, Sw(nameAttr, q.NamePrefix))
	}
	if rich && q.Active != nil {
		clauses = append(clauses, "active eq "+strconv.FormatBool(*q.Active))
	}
	return And(clauses...)
}

// narrowsHere is true when the conveniences add clauses to the caller's filter.
func (q Query) narrowsHere() bool {
	return q.NamePrefix != "" || q.Active != nil
}

func (q Query) matchesName(name string) bool {
	return strings.HasPrefix(strings.ToLower(name), strings.ToLower(q.NamePrefix))
}

// walk lists resourcePath for q and calls yield with each resource that
// passes keep, until yield returns false or q.Limit resources were yielded.
// When the app rejects the conveniences' clauses with a 400, it lists with
// the caller's filter alone and narrows here: one more request, and the
// same answer.
func (c *Client) walk(ctx context.Context, resourcePath, nameAttr string, q Query, opts ListOptions,
	keep func(jsonObject) bool, yield func(jsonObject) bool) error {
	yielded := 0
	expr, _ := scimfilter.Parse(q.Filter) // nil for "" and for forms the parser lacks: those are not checked here
	visit := func(o jsonObject) error {
		// The filter first: keep may rewrite o (the app's roles attribute).
		if expr != nil && !scimfilter.MayMatch(o, expr) || !keep(o) {
			return nil
		}
		yielded++
		if !yield(o) || (q.Limit > 0 && yielded >= q.Limit) {
			return errStopWalk
		}
		return nil
	}
	rich := c.dialect.RichFilters
	opts.Filter = q.serverFilter(nameAttr, rich)
	err := c.list(ctx, resourcePath, opts, visit)
	var apiErr *Error
	if rich && q.narrowsHere() && yielded == 0 && errors.As(err, &apiErr) && apiErr.StatusCode == 400 {
		opts.Filter = q.serverFilter(nameAttr, false)
		err = c.list(ctx, resourcePath, opts, visit)
	}
	if errors.Is(err, errStopWalk) {
		return nil
	}
	return err
}

// Walk calls yield with each user q selects, page by page, until yield
// returns false or q.Limit users were yielded.
func (s *UsersService) Walk(ctx context.Context, q Query, yield func(*User) bool) error {
	var user *User
	keep := func(o jsonObject) bool {
		user = decodeUser(s.canonicalRoles(o))
		return q.matchesName(user.UserName) && (q.Active == nil || user.IsActive() == *q.Active)
	}
	return s.client.walk(ctx, "Users", "userName", q, ListOptions{}, keep, func(jsonObject) bool { return yield(user) })
}

// Walk calls yield with each group q selects until yield returns false or
// q.Limit groups were yielded. withMembers asks for members as a listing
// can have them; FillMembers then completes them. Without it they are
// excluded, which keeps pages small. Query.Active does not apply to groups.
func (s *GroupsService) Walk(ctx context.Context, q Query, withMembers bool, yield func(*Group) bool) error {
	q.Active = nil
	opts := ListOptions{ExcludedAttributes: []string{"members"}}
	if withMembers {
		opts = ListOptions{}
	}
	var group *Group
	keep := func(o jsonObject) bool {
		group = decodeGroup(o)
		return q.matchesName(group.DisplayName)
	}
	err := s.client.walk(ctx, "Groups", "displayName", q, opts, keep, func(jsonObject) bool { return yield(group) })
	return s.groupsUnsupported(err)
}
