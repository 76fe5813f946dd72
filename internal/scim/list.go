package scim

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// maxTotalResults rejects absurd totals: no tenant has a billion users, and
// trusting such a number would make a caller page forever.
const maxTotalResults = 50_000_000

// ListOptions selects resources to list (RFC 7644 section 3.4.2).
type ListOptions struct {
	// Filter is a SCIM filter such as Eq("userName", "alice").
	Filter string
	// Attributes and ExcludedAttributes project the answer.
	Attributes         []string
	ExcludedAttributes []string
}

func (o ListOptions) query() url.Values {
	q := url.Values{}
	if o.Filter != "" {
		q.Set("filter", o.Filter)
	}
	if len(o.Attributes) > 0 {
		q.Set("attributes", joinComma(o.Attributes))
	}
	if len(o.ExcludedAttributes) > 0 {
		q.Set("excludedAttributes", joinComma(o.ExcludedAttributes))
	}
	return q
}

func joinComma(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// list pages through resourcePath and calls fn for each resource once. It
// advances startIndex by what actually came back (servers may cap pages
// below the asked count), stops on an empty page or when totalResults is
// reached, follows nextCursor (RFC 9865) when offered, and drops repeats by id.
func (c *Client) list(ctx context.Context, resourcePath string, opts ListOptions, fn func(jsonObject) error) error {
	seen := map[string]bool{}
	startIndex, cursor := c.dialect.StartIndexBase, ""
	useCursor := c.dialect.CursorPaging
	for page := 0; ; page++ {
		if page >= c.dialect.MaxPages {
			return fmt.Errorf("listing %s: stopped after %d pages; the server keeps returning results", resourcePath, page)
		}
		q := opts.query()
		q.Set("count", strconv.Itoa(c.dialect.PageSize))
		switch {
		case cursor != "":
			q.Set("cursor", cursor)
		case useCursor:
			q.Set("cursor", "") // an empty cursor asks for cursor paging from the first page (RFC 9865)
		default:
			q.Set("startIndex", strconv.Itoa(startIndex))
		}
		resp, err := c.do(ctx, request{Method: "GET", Path: resourcePath, Query: q, Idempotent: true})
		if err != nil {
			return err
		}
		obj, ok := parseObject(resp.Body)
		if !ok {
			return fmt.Errorf("listing %s: the answer is not a JSON ListResponse", resourcePath)
		}
		resources, _ := obj.list("Resources")
		total, hasTotal := obj.integer("totalResults")
		if hasTotal && (total < 0 || total > maxTotalResults) {
			return fmt.Errorf("listing %s: implausible totalResults %d", resourcePath, total)
		}
		fresh := 0
		for _, r := range resources {
			m, ok := r.(map[string]any)
			if !ok {
				continue
			}
			item := jsonObject(m)
			id := item.str("id")
			if id != "" && seen[id] {
				continue
			}
			seen[id] = true
			fresh++
			if err := fn(item); err != nil {
				return err
			}
		}
		cursor = obj.str("nextCursor")
		switch {
		case cursor != "":
			continue
		case len(resources) == 0, fresh == 0:
			return nil
		case useCursor && !hasTotal:
			return nil // the last page of a cursor listing
		case hasTotal && startIndex-c.dialect.StartIndexBase+len(resources) >= total:
			return nil
		}
		useCursor = false // the server answered with index paging: go on that way
		startIndex += len(resources)
	}
}
