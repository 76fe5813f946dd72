// Package scimfilter checks resources an app returned for a SCIM filter
// (RFC 7644 section 3.4.2.2) against that filter, since some apps ignore
// filters and return everything. The local test server evaluates filters
// with code of its own (internal/scim/scimtest), so that a mistake here
// cannot hide behind the same mistake there.
package scimfilter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimjson"
	filter "github.com/scim2/filter-parser/v2"
)

// Parse parses a filter with the parser the Go SCIM servers use.
func Parse(f string) (filter.Expression, error) {
	return filter.ParseFilter([]byte(f))
}

// MayMatch is the client's check of a resource an app returned for expr:
// false only when the resource certainly does not match. What the client
// cannot judge counts as a match: attributes an app may leave out of a
// listing (groups, members), operators that do not fit the value, and an
// attribute named without its schema that lives in an extension is looked
// for there. Timestamps are compared as times.
func MayMatch(doc map[string]any, expr filter.Expression) bool {
	t, err := evaluator{}.eval(doc, expr)
	return err != nil || t != no
}

type truth int8

const (
	no truth = iota
	yes
	unknown
)

func of(b bool) truth {
	if b {
		return yes
	}
	return no
}

// evaluator judges what it can and answers unknown for the rest.
type evaluator struct{}

// omittable attributes are often missing or empty in listings although
// they have values: apps leave them out, return them only when asked, or
// list groups with "members": [] (AWS IAM Identity Center).
var omittable = map[string]bool{"groups": true, "members": true, "password": true}

// unjudgeable reports whether a listing's resource cannot show whether the
// attribute at path has a value: an omittable attribute absent or empty,
// an absent active (which the client takes as active), an absent meta, or
// an extension the resource does not carry at all (its attributes may be
// returned only on request).
func unjudgeable(doc map[string]any, path filter.AttributePath, v any) bool {
	name := strings.ToLower(path.AttributeName)
	switch {
	case omittable[name]:
		l, isList := v.([]any)
		return v == nil || isList && len(l) == 0
	case v != nil:
		return false
	case name == "active" || name == "meta":
		return true
	}
	uri := path.URI()
	return uri != "" && !scimjson.IsCoreSchema(uri) && scimjson.Value(doc, uri) == nil
}

func (e evaluator) eval(doc map[string]any, expr filter.Expression) (truth, error) {
	switch x := expr.(type) {
	case *filter.LogicalExpression:
		left, err := e.eval(doc, x.Left)
		if err != nil {
			return no, err
		}
		and := strings.EqualFold(string(x.Operator), "and")
		if and && left == no || !and && left == yes {
			return left, nil
		}
		right, err := e.eval(doc, x.Right)
		if err != nil || left != unknown {
			return right, err
		}
		if and && right == no || !and && right == yes {
			return right, nil
		}
		return unknown, nil
	case *filter.NotExpression:
		t, err := e.eval(doc, x.Expression)
		switch t {
		case yes:
			return no, err
		case no:
			return yes, err
		}
		return t, err
	case *filter.ValuePath:
		v := e.lookup(doc, x.AttributePath.URI(), x.AttributePath.AttributeName)
		if unjudgeable(doc, x.AttributePath, v) {
			return unknown, nil
		}
		result := no
		for _, item := range scimjson.List(v) {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			t, err := e.eval(m, x.ValueFilter)
			if err != nil || t == yes {
				return t, err
			}
			if t == unknown {
				result = unknown
			}
		}
		return result, nil
	case *filter.AttributeExpression:
		return e.attribute(doc, x)
	}
	return no, fmt.Errorf("unsupported filter expression %T", expr)
}

func (e evaluator) attribute(doc map[string]any, x *filter.AttributeExpression) (truth, error) {
	path := x.AttributePath
	raw := e.lookup(doc, path.URI(), path.AttributeName)
	if unjudgeable(doc, path, raw) {
		return unknown, nil
	}
	values := scimjson.Values(raw, path.SubAttribute)
	op := strings.ToLower(string(x.Operator))
	if op == "pr" {
		if l, ok := raw.([]any); ok && path.SubAttribute == nil {
			return of(len(l) > 0), nil // addresses pr: any value at all
		}
		for _, v := range values {
			if v != nil && v != "" {
				return yes, nil
			}
		}
		return no, nil
	}
	want := x.CompareValue
	if s, ok := want.(string); ok {
		// The parser keeps the JSON escapes; decode them as JSON does.
		var decoded string
		if err := json.Unmarshal([]byte(`"`+s+`"`), &decoded); err != nil {
			return no, fmt.Errorf("invalid string %q in filter", s)
		}
		want = decoded
	}
	for _, v := range values {
		ok, err := e.compare(v, op, want)
		if err != nil || ok {
			return of(ok), err
		}
	}
	return of(op == "ne" && len(values) == 0), nil
}

// compare compares strings without case, even those RFC 7643 makes
// caseExact (id, externalId): some apps compare them without case too, and
// a check that keeps more is the safe side here.
func (e evaluator) compare(have any, op string, want any) (bool, error) {
	switch w := want.(type) {
	case string:
		h, ok := have.(string)
		if !ok {
			if have == nil {
				return op == "ne", nil
			}
			h = fmt.Sprint(have)
		}
		if c, ok := compareTimes(h, w); ok {
			return ordered(c, op)
		}
		h, w = strings.ToLower(h), strings.ToLower(w)
		switch op {
		case "co":
			return strings.Contains(h, w), nil
		case "sw":
			return strings.HasPrefix(h, w), nil
		case "ew":
			return strings.HasSuffix(h, w), nil
		}
		return ordered(strings.Compare(h, w), op)
	case bool:
		h, ok := scimjson.Bool(have)
		switch op {
		case "eq":
			return ok && h == w, nil
		case "ne":
			return !ok || h != w, nil
		}
	case nil:
		switch op {
		case "eq":
			return have == nil, nil
		case "ne":
			return have != nil, nil
		}
	case int, float64:
		wf, _ := strconv.ParseFloat(fmt.Sprint(w), 64)
		hf, isNumber := scimjson.Number(have)
		if !isNumber {
			return op == "ne", nil // a non-number never equals a number
		}
		c := 0
		if hf < wf {
			c = -1
		} else if hf > wf {
			c = 1
		}
		return ordered(c, op)
	}
	return false, fmt.Errorf("operator %q is not supported for %T values", op, want)
}

// ordered applies a comparison operator to the result of a three-way compare.
func ordered(c int, op string) (bool, error) {
	switch op {
	case "eq":
		return c == 0, nil
	case "ne":
		return c != 0, nil
	case "gt":
		return c > 0, nil
	case "ge":
		return c >= 0, nil
	case "lt":
		return c < 0, nil
	case "le":
		return c <= 0, nil
	}
	return false, fmt.Errorf("operator %q is not supported for this value", op)
}

// compareTimes compares two RFC 3339 timestamps as instants, so an app's
// "+00:00" or fractional seconds compare as the same moment as "Z".
func compareTimes(a, b string) (int, bool) {
	ta, err := time.Parse(time.RFC3339Nano, a)
	if err != nil {
		return 0, false
	}
	tb, err := time.Parse(time.RFC3339Nano, b)
	if err != nil {
		return 0, false
	}
	return ta.Compare(tb), true
}
