package scimtest

import (
	"encoding/json"
	"fmt"
	"strconv"
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
	values := attributeValues(doc, path)
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

// attributeValues returns every value an attribute path reaches, flattening
// multi-valued attributes: emails.value yields each email address.
func attributeValues(doc map[string]any, path filter.AttributePath) []any {
	v := lookup(doc, path.URI(), path.AttributeName)
	if path.SubAttribute == nil {
		if l, ok := v.([]any); ok {
			var out []any
			for _, item := range l {
				if m, ok := item.(map[string]any); ok {
					out = append(out, getFold(m, "value"))
				} else {
					out = append(out, item)
				}
			}
			return out
		}
		return []any{v}
	}
	if m, ok := v.(map[string]any); ok { // a complex attribute such as name or meta
		return []any{getFold(m, *path.SubAttribute)}
	}
	var out []any
	for _, item := range asList(v) {
		if m, ok := item.(map[string]any); ok {
			out = append(out, getFold(m, *path.SubAttribute))
		}
	}
	return out
}

func compare(have any, op string, want any, exact bool) (bool, error) {
	switch w := want.(type) {
	case string:
		h, ok := have.(string)
		if !ok {
			if have == nil {
				return op == "ne", nil
			}
			h = fmt.Sprint(have)
		}
		if !exact {
			h, w = strings.ToLower(h), strings.ToLower(w)
		}
		switch op {
		case "eq":
			return h == w, nil
		case "ne":
			return h != w, nil
		case "co":
			return strings.Contains(h, w), nil
		case "sw":
			return strings.HasPrefix(h, w), nil
		case "ew":
			return strings.HasSuffix(h, w), nil
		case "gt":
			return h > w, nil
		case "ge":
			return h >= w, nil
		case "lt":
			return h < w, nil
		case "le":
			return h <= w, nil
		}
	case bool:
		h, ok := toBool(have)
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
		hf, isNumber := number(have)
		if !isNumber {
			return op == "ne", nil // a non-number never equals a number
		}
		switch op {
		case "eq":
			return hf == wf, nil
		case "ne":
			return hf != wf, nil
		case "gt":
			return hf > wf, nil
		case "ge":
			return hf >= wf, nil
		case "lt":
			return hf < wf, nil
		case "le":
			return hf <= wf, nil
		}
	}
	return false, fmt.Errorf("operator %q is not supported for %T values", op, want)
}

func toBool(v any) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(t))
		return b, err == nil
	}
	return false, false
}

func number(v any) (float64, bool) {
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f, err == nil
}
