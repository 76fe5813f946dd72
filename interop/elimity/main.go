// Command elimity serves github.com/elimity-com/scim, an independent
// open-source SCIM 2.0 server library, with an in-memory store, so that the
// provider's acceptance lifecycle can run against a SCIM implementation this
// project did not write. The library validates requests against the RFC 7643
// schemas and leaves storage and PATCH application to the handler; this file
// is that handler and nothing more.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
	filter "github.com/scim2/filter-parser/v2"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	portFile := flag.String("port-file", "", "write the chosen port here once listening")
	flag.Parse()
	if host, _, err := net.SplitHostPort(*addr); err != nil || (host != "127.0.0.1" && host != "localhost") {
		log.Fatalf("-addr %q: listen on 127.0.0.1 only", *addr)
	}
	users := newStore("userName")
	groups := newStore("")
	server, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{SupportFiltering: true, SupportPatch: true, MaxResults: 100},
		ResourceTypes: []scim.ResourceType{
			{
				ID: optional.NewString("User"), Name: "User", Endpoint: "/Users", Schema: schema.CoreUserSchema(),
				SchemaExtensions: []scim.SchemaExtension{{Schema: schema.ExtensionEnterpriseUser()}},
				Handler:          users,
			},
			{ID: optional.NewString("Group"), Name: "Group", Endpoint: "/Groups", Schema: schema.CoreGroupSchema(), Handler: groups},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if *portFile != "" {
		if err := os.WriteFile(*portFile, []byte(fmt.Sprint(port)), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("elimity-com/scim serving http://127.0.0.1:%d/scim/v2", port)
	mux := http.NewServeMux()
	mux.Handle("/scim/", http.StripPrefix("/scim", server))
	log.Fatal(http.Serve(ln, mux))
}

// store is an in-memory resource handler. unique names the attribute that
// must be unique (case-insensitively), as userName is for users.
type store struct {
	mu      sync.Mutex
	unique  string
	docs    map[string]scim.ResourceAttributes
	meta    map[string]scim.Meta
	order   []string
	version int
}

func newStore(unique string) *store {
	return &store{unique: unique, docs: map[string]scim.ResourceAttributes{}, meta: map[string]scim.Meta{}}
}

func newID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *store) resource(id string) scim.Resource {
	attrs := scim.ResourceAttributes{}
	for k, v := range s.docs[id] {
		attrs[k] = v
	}
	var ext optional.String
	if e, ok := attrs["externalId"].(string); ok {
		ext = optional.NewString(e)
		delete(attrs, "externalId")
	}
	return scim.Resource{ID: id, ExternalID: ext, Attributes: attrs, Meta: s.meta[id]}
}

func (s *store) touch(id string, created bool) {
	now := time.Now().UTC()
	m := s.meta[id]
	if created {
		m.Created = &now
	}
	m.LastModified = &now
	s.version++
	m.Version = fmt.Sprintf(`W/"%d"`, s.version)
	s.meta[id] = m
}

func (s *store) conflict(id string, doc scim.ResourceAttributes) error {
	if s.unique == "" {
		return nil
	}
	name, _ := get(doc, s.unique).(string)
	for other, d := range s.docs {
		if o, _ := get(d, s.unique).(string); other != id && strings.EqualFold(o, name) {
			return scimerrors.ScimErrorUniqueness
		}
	}
	return nil
}

func (s *store) Create(_ *http.Request, attributes scim.ResourceAttributes) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.conflict("", attributes); err != nil {
		return scim.Resource{}, err
	}
	id := newID()
	if s.unique != "" && get(attributes, "active") == nil {
		attributes["active"] = true
	}
	s.docs[id] = attributes
	s.order = append(s.order, id)
	s.touch(id, true)
	return s.resource(id), nil
}

func (s *store) Get(_ *http.Request, id string) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.docs[id]; !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	return s.resource(id), nil
}

func (s *store) GetAll(_ *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []scim.Resource
	for _, id := range s.order {
		if _, ok := s.docs[id]; !ok {
			continue
		}
		r := s.resource(id)
		if params.FilterValidator != nil {
			doc := map[string]interface{}{"id": id}
			for k, v := range s.docs[id] {
				doc[k] = v
			}
			if params.FilterValidator.PassesFilter(doc) != nil {
				continue
			}
		}
		matched = append(matched, r)
	}
	page := scim.Page{TotalResults: len(matched)}
	start := max(params.StartIndex, 1) - 1
	for i := start; i < len(matched) && len(page.Resources) < params.Count; i++ {
		page.Resources = append(page.Resources, matched[i])
	}
	return page, nil
}

func (s *store) Replace(_ *http.Request, id string, attributes scim.ResourceAttributes) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.docs[id]; !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	if err := s.conflict(id, attributes); err != nil {
		return scim.Resource{}, err
	}
	s.docs[id] = attributes
	s.touch(id, false)
	return s.resource(id), nil
}

func (s *store) Delete(_ *http.Request, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.docs[id]; !ok {
		return scimerrors.ScimErrorResourceNotFound(id)
	}
	delete(s.docs, id)
	return nil
}

func (s *store) Patch(_ *http.Request, id string, operations []scim.PatchOperation) (scim.Resource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.docs[id]
	if !ok {
		return scim.Resource{}, scimerrors.ScimErrorResourceNotFound(id)
	}
	doc = deepCopy(doc).(map[string]interface{})
	for _, op := range operations {
		if err := apply(doc, op); err != nil {
			return scim.Resource{}, err
		}
	}
	if err := s.conflict(id, doc); err != nil {
		return scim.Resource{}, err
	}
	s.docs[id] = doc
	s.touch(id, false)
	return s.resource(id), nil
}

// apply performs one PATCH operation (RFC 7644 section 3.5.2) on doc.
func apply(doc map[string]interface{}, op scim.PatchOperation) error {
	verb := strings.ToLower(op.Op)
	if op.Path == nil {
		values, ok := op.Value.(map[string]interface{})
		if !ok || verb == "remove" {
			return scimerrors.ScimErrorNoTarget
		}
		for k, v := range values {
			setPath(doc, k, v, verb)
		}
		return nil
	}
	p := op.Path
	target := doc
	if uri := p.AttributePath.URI(); uri != "" && !strings.HasSuffix(uri, ":core:2.0:User") && !strings.HasSuffix(uri, ":core:2.0:Group") {
		ext, _ := get(doc, uri).(map[string]interface{})
		if ext == nil {
			ext = map[string]interface{}{}
			doc[uri] = ext
		}
		target = ext
	}
	name := p.AttributePath.AttributeName
	sub := p.AttributePath.SubAttribute
	if p.SubAttribute != nil {
		sub = p.SubAttribute
	}
	if p.ValueExpression != nil {
		return applyFiltered(target, name, p.ValueExpression, sub, verb, op.Value)
	}
	if sub != nil {
		inner, _ := get(target, name).(map[string]interface{})
		if inner == nil {
			inner = map[string]interface{}{}
			target[key(target, name)] = inner
		}
		target, name = inner, *sub
	}
	setPath(target, name, op.Value, verb)
	return nil
}

// setPath adds, replaces or removes attribute name of m.
func setPath(m map[string]interface{}, name string, value interface{}, verb string) {
	k := key(m, name)
	switch verb {
	case "remove":
		delete(m, k)
	case "add":
		if list, ok := m[k].([]interface{}); ok {
			if more, ok := value.([]interface{}); ok {
				m[k] = appendNew(list, more)
				return
			}
		}
		fallthrough
	default:
		if nested, ok := value.(map[string]interface{}); ok {
			if cur, ok := m[k].(map[string]interface{}); ok && verb != "replace" {
				for nk, nv := range nested {
					cur[nk] = nv
				}
				return
			}
		}
		m[k] = value
	}
}

// applyFiltered handles paths such as members[value eq "id"] and
// emails[type eq "work"].value.
func applyFiltered(m map[string]interface{}, name string, expr filter.Expression, sub *string, verb string, value interface{}) error {
	k := key(m, name)
	list, _ := m[k].([]interface{})
	var kept []interface{}
	matched := false
	for _, item := range list {
		obj, _ := item.(map[string]interface{})
		if obj == nil || !matches(obj, expr) {
			kept = append(kept, item)
			continue
		}
		matched = true
		switch {
		case verb == "remove" && sub == nil:
			continue
		case verb == "remove":
			delete(obj, key(obj, *sub))
		case sub != nil:
			obj[key(obj, *sub)] = value
		default:
			if v, ok := value.(map[string]interface{}); ok {
				for vk, vv := range v {
					obj[vk] = vv
				}
			}
		}
		kept = append(kept, obj)
	}
	if !matched && verb != "remove" {
		return scimerrors.ScimErrorNoTarget
	}
	m[k] = kept
	return nil
}

// matches evaluates the value filters clients send in PATCH paths: eq on a
// sub-attribute, joined by and.
func matches(obj map[string]interface{}, expr filter.Expression) bool {
	switch e := expr.(type) {
	case *filter.AttributeExpression:
		have := fmt.Sprint(get(obj, e.AttributePath.AttributeName))
		return e.Operator == filter.EQ && strings.EqualFold(have, fmt.Sprint(e.CompareValue))
	case *filter.LogicalExpression:
		if e.Operator == filter.AND {
			return matches(obj, e.Left) && matches(obj, e.Right)
		}
		return matches(obj, e.Left) || matches(obj, e.Right)
	}
	return false
}

func appendNew(list, more []interface{}) []interface{} {
	seen := map[string]bool{}
	for _, item := range list {
		if obj, ok := item.(map[string]interface{}); ok {
			seen[fmt.Sprint(get(obj, "value"))] = true
		}
	}
	for _, item := range more {
		if obj, ok := item.(map[string]interface{}); ok {
			v := fmt.Sprint(get(obj, "value"))
			if seen[v] {
				continue
			}
			seen[v] = true
		}
		list = append(list, item)
	}
	return list
}

// get and key read attribute names case-insensitively (RFC 7643 section 2.1).
func get(m map[string]interface{}, name string) interface{} {
	return m[key(m, name)]
}

func key(m map[string]interface{}, name string) string {
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case scim.ResourceAttributes:
		return deepCopy(map[string]interface{}(t))
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
