package scimtest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// caseExactAttributes are compared case-sensitively (RFC 7643: id,
// externalId and references are caseExact); every other string is not.
var caseExactAttributes = map[string]bool{"id": true, "externalid": true, "members.value": true}

// matches evaluates a parsed filter against a resource.
func matches(doc map[string]any, expr filter.Expression, caseSensitiveFilters bool) (bool, error) {
	switch e := expr.(type) {
	case *filter.LogicalExpression:
		left, err := matches(doc, e.Left, caseSensitiveFilters)
		if err != nil {
			return false, err
		}
		if strings.EqualFold(string(e.Operator), "and") && !left {
			return false, nil
		}
		if strings.EqualFold(string(e.Operator), "or") && left {
			return true, nil
		}
		return matches(doc, e.Right, caseSensitiveFilters)
	case *filter.NotExpression:
		ok, err := matches(doc, e.Expression, caseSensitiveFilters)
		return !ok, err
	case *filter.ValuePath:
		for _, item := range asList(lookup(doc, e.AttributePath.URI(), e.AttributePath.AttributeName)) {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			ok, err := matches(m, e.ValueFilter, caseSensitiveFilters)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case *filter.AttributeExpression:
		return matchAttribute(doc, e, caseSensitiveFilters)
	}
	return false, fmt.Errorf("unsupported filter expression %T", expr)
}

func matchAttribute(doc map[string]any, e *filter.AttributeExpression, caseSensitive bool) (bool, error) {
	path := e.AttributePath
	values := valuesAt(lookup(doc, path.URI(), path.AttributeName), path.SubAttribute)
	op := strings.ToLower(string(e.Operator))
	if op == "pr" {
		for _, v := range values {
			if v != nil && v != "" {
				return true, nil
			}
		}
		return false, nil
	}
	want := e.CompareValue
	if s, ok := want.(string); ok {
		// The parser keeps the JSON escapes; decode them as JSON does.
		var decoded string
		if err := json.Unmarshal([]byte(`"`+s+`"`), &decoded); err != nil {
			return false, fmt.Errorf("invalid string %q in filter", s)
		}
		want = decoded
	}
	name := strings.ToLower(path.AttributeName)
	if path.SubAttribute != nil {
		name += "." + strings.ToLower(*path.SubAttribute)
	}
	exact := caseSensitive || caseExactAttributes[name]
	for _, v := range values {
		ok, err := compare(v, op, want, exact)
		if err != nil || ok {
			return ok, err
		}
	}
	return op == "ne" && len(values) == 0, nil
}

// compare applies a filter operator to a stored value and the filter's
// value. The server reads it by operator (equality, then order and
// substrings), where the client's check (scimfilter) reads it by type:
// two ways to the same RFC 7644 rules, so one's mistake shows in the other.
func compare(have any, op string, want any, exact bool) (bool, error) {
	switch op {
	case "eq", "ne":
		same, err := equal(have, want, exact)
		return same == (op == "eq"), err
	case "co", "sw", "ew", "gt", "ge", "lt", "le":
		return ordered(have, op, want, exact)
	}
	return false, fmt.Errorf("operator %q is not supported", op)
}

// equal is eq: a value of another kind than the filter's never equals it.
func equal(have, want any, exact bool) (bool, error) {
	switch w := want.(type) {
	case nil:
		return have == nil, nil
	case bool:
		h, isBool := toBool(have)
		return isBool && h == w, nil
	case string:
		return have != nil && text(have, exact) == text(w, exact), nil
	case int, float64:
		h, isNumber := number(have)
		wf, _ := number(w)
		return isNumber && h == wf, nil
	}
	return false, fmt.Errorf("eq is not supported for %T values", want)
}

// orderings are the operators that order two values, by the sign of their
// comparison.
var orderings = map[string]func(int) bool{
	"gt": func(c int) bool { return c > 0 },
	"ge": func(c int) bool { return c >= 0 },
	"lt": func(c int) bool { return c < 0 },
	"le": func(c int) bool { return c <= 0 },
}

// ordered is the substring operators (strings only) and the orderings
// (strings and numbers); a missing value or one of another kind matches
// none of them.
func ordered(have any, op string, want any, exact bool) (bool, error) {
	switch w := want.(type) {
	case string:
		if have == nil {
			return false, nil
		}
		h, t := text(have, exact), text(w, exact)
		switch op {
		case "co":
			return strings.Contains(h, t), nil
		case "sw":
			return strings.HasPrefix(h, t), nil
		case "ew":
			return strings.HasSuffix(h, t), nil
		}
		return orderings[op](strings.Compare(h, t)), nil
	case int, float64:
		h, isNumber := number(have)
		wf, _ := number(w)
		if !isNumber || math.IsNaN(h) {
			return false, nil // not a number: no order, no substring
		}
		if by, orders := orderings[op]; orders {
			return by(cmp.Compare(h, wf)), nil
		}
	}
	return false, fmt.Errorf("operator %q is not supported for %T values", op, want)
}

// text is a value as a string to compare, lower-cased unless exact.
func text(v any, exact bool) string {
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	if !exact {
		s = strings.ToLower(s)
	}
	return s
}
