package scimtest

// Writes: POST, PUT, PATCH and DELETE, with the quirks that change them.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func decodeBody(body []byte) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return nil, badRequest("invalidSyntax", "the body is not a JSON object")
	}
	return doc, nil
}

// validate checks required attributes and uniqueness. Callers hold mu.
func (s *Server) validate(resourceType, id string, doc map[string]any) error {
	key := "userName"
	if resourceType == "Groups" {
		key = "displayName"
	}
	name, _ := getFold(doc, key).(string)
	if strings.TrimSpace(name) == "" {
		return badRequest("invalidValue", "%s is required", key)
	}
	if resourceType != "Users" && !s.opts.UniqueGroupNames {
		return nil
	}
	for otherID, other := range s.resources[resourceType] {
		if otherID == id {
			continue
		}
		otherName, _ := getFold(other, key).(string)
		if otherName == name || (!s.opts.UserNameCaseSensitive && strings.EqualFold(otherName, name)) {
			return &scimError{status: 409, scimType: "uniqueness", detail: key + " " + strconv.Quote(name) + " is already taken"}
		}
	}
	return nil
}

func (s *Server) handleCreate(w http.ResponseWriter, resourceType string, body []byte) error {
	doc, err := decodeBody(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkDocument(resourceType, doc); err != nil {
		return err
	}
	if resourceType == "Users" {
		s.normalizeUser(nil, doc, s.opts.Quirks)
		if err := s.checkReserved(doc); err != nil {
			return err
		}
	}
	if err := s.validate(resourceType, "", doc); err != nil {
		return err
	}
	password, _ := getFold(doc, "password").(string)
	delete(doc, keyFold(doc, "password"))
	delete(doc, "id")
	if resourceType == "Groups" && (s.opts.PostDropsMembers || s.opts.MembersWriteOnly) {
		delete(doc, keyFold(doc, "members"))
	}
	if resourceType == "Users" {
		if _, ok := doc[keyFold(doc, "active")]; !ok {
			doc["active"] = true
		}
	}
	id := newID()
	s.store(resourceType, id, doc, true)
	if s.opts.CreateDelay > 0 {
		s.visibleAt[id] = time.Now().Add(s.opts.CreateDelay)
	}
	if password != "" {
		s.passwords[id] = password
	}
	w.Header().Set("Location", BasePath+"/"+resourceType+"/"+id)
	status := 201
	if s.opts.PostStatus200 {
		status = 200
	}
	if s.opts.PostEmptyBody {
		w.WriteHeader(status)
		return nil
	}
	writeResource(w, status, copyDoc(doc))
	return nil
}

// current returns the stored resource a write targets, after the If-Match
// check. Callers hold mu.
func (s *Server) current(r *http.Request, resourceType, id string) (map[string]any, error) {
	old, ok := s.resources[resourceType][id]
	if !ok {
		return nil, notFound(resourceType, id)
	}
	return old, checkVersion(r, old)
}

// checkVersion enforces If-Match (RFC 7644 section 3.14).
func checkVersion(r *http.Request, doc map[string]any) error {
	want := r.Header.Get("If-Match")
	if want == "" || want == "*" {
		return nil
	}
	meta, _ := doc["meta"].(map[string]any)
	if have, _ := meta["version"].(string); have != want {
		return &scimError{status: 412, detail: "version mismatch: resource is at " + have}
	}
	return nil
}

func (s *Server) handleReplace(w http.ResponseWriter, r *http.Request, resourceType, id string, body []byte) error {
	doc, err := decodeBody(body)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.current(r, resourceType, id)
	if err != nil {
		return err
	}
	if err := s.checkDocument(resourceType, doc); err != nil {
		return err
	}
	if resourceType == "Users" {
		s.normalizeUser(old, doc, s.opts.Quirks)
	}
	if err := s.validate(resourceType, id, doc); err != nil {
		return err
	}
	s.delayForReaders(resourceType, id, old)
	if password, _ := getFold(doc, "password").(string); password != "" {
		s.passwords[id] = password
	}
	delete(doc, keyFold(doc, "password"))
	doc["meta"] = old["meta"]
	if resourceType == "Groups" && s.opts.MembersWriteOnly {
		delete(doc, keyFold(doc, "members")) // a PUT neither sets nor clears members
		if members, ok := old["members"]; ok {
			doc["members"] = members
		}
	}
	s.store(resourceType, id, doc, false)
	writeResource(w, 200, s.project(resourceType, doc, r, false))
	return nil
}

func (s *Server) handlePatch(w http.ResponseWriter, r *http.Request, resourceType, id string, body []byte) error {
	req, err := decodeBody(body)
	if err != nil {
		return err
	}
	ops, _ := getFold(req, "Operations").([]any)
	if len(ops) == 0 {
		return badRequest("invalidSyntax", "PATCH needs Operations")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.MaxMemberOps > 0 && resourceType == "Groups" && memberChanges(ops) > s.opts.MaxMemberOps {
		return &scimError{status: 413, detail: "too many member changes in one request"}
	}
	if resourceType == "Groups" {
		if err := s.checkMemberOpLimits(ops); err != nil {
			return err
		}
	}
	old, err := s.current(r, resourceType, id)
	if err != nil {
		return err
	}
	// Work on a copy: PATCH is atomic (RFC 7644 section 3.5.2).
	doc, password, err := s.applyOperations(resourceType, copyDoc(old), ops)
	if err != nil {
		return err
	}
	if resourceType == "Users" {
		q := s.opts.Quirks
		q.DeriveNames = false // done above, per operation
		s.normalizeUser(old, doc, q)
	}
	if resourceType == "Users" && s.opts.UnknownAttributes == "reject" {
		if err := s.checkDocument(resourceType, doc); err != nil {
			return err
		}
	}
	if err := s.validate(resourceType, id, doc); err != nil {
		return err
	}
	if password != "" {
		s.passwords[id] = password
	}
	wasActive, _ := old["active"].(bool)
	nowActive, _ := doc["active"].(bool)
	if resourceType == "Users" && wasActive && !nowActive {
		switch s.opts.DeactivateMode {
		case "delete":
			delete(s.resources[resourceType], id)
			w.WriteHeader(http.StatusNoContent)
			return nil
		case "noop":
			doc["active"] = true
		}
	}
	if resourceType == "Users" && !wasActive && nowActive && s.opts.RotateIDOnReactivate {
		delete(s.resources[resourceType], id)
		id = newID()
		delete(doc, "meta")
		s.store(resourceType, id, doc, true)
		writeResource(w, 200, copyDoc(doc))
		return nil
	}
	s.delayForReaders(resourceType, id, old)
	s.store(resourceType, id, doc, false)
	switch {
	case s.opts.PatchNoContent || s.opts.PatchResponse == "204":
		w.WriteHeader(http.StatusNoContent)
	case s.opts.PatchResponse == "200_stale":
		writeResource(w, 200, s.project(resourceType, old, r, false))
	default:
		writeResource(w, 200, s.project(resourceType, doc, r, false))
	}
	return nil
}

// applyOperations applies PATCH operations to doc in order, and returns
// it with the password an operation set (kept apart: never stored in doc).
// Callers hold mu.
func (s *Server) applyOperations(resourceType string, doc map[string]any, ops []any) (map[string]any, string, error) {
	password := ""
	for _, raw := range ops {
		op, _ := raw.(map[string]any)
		name, _ := getFold(op, "op").(string)
		path, _ := getFold(op, "path").(string)
		value := getFold(op, "value")
		if err := s.checkOpCase(name); err != nil {
			return nil, "", err
		}
		if refused := s.patchRefuses(path, value); refused != "" {
			return nil, "", badRequest("invalidPath", "%s is not a valid PATCH path", refused)
		}
		if strings.EqualFold(path, "password") {
			password, _ = value.(string)
			continue
		}
		if resourceType == "Groups" && strings.EqualFold(name, "add") {
			var err error
			if path, value, err = s.memberAddShape(path, value); err != nil {
				return nil, "", err
			}
		}
		if path == "" && strings.EqualFold(name, "replace") && s.opts.PathlessReplaceWipes {
			if m, ok := value.(map[string]any); ok {
				doc = map[string]any{"schemas": doc["schemas"], "meta": doc["meta"]}
				for k, v := range m {
					doc[k] = v
				}
			}
			continue
		}
		memberRemoval := s.opts.RemoveAbsentNoTarget && resourceType == "Groups" && strings.EqualFold(name, "remove") &&
			strings.Contains(path, "[")
		members := len(asList(getFold(doc, "members")))
		if err := applyPatch(doc, name, path, value); err != nil {
			return nil, "", err
		}
		if memberRemoval && len(asList(getFold(doc, "members"))) == members {
			return nil, "", badRequest("noTarget", "no member matches %s", path)
		}
		if resourceType == "Users" && s.opts.DeriveNames && touchesNameParts(path, value) {
			deriveNames(doc) // operation by operation, as apps that derive on each change do
		}
	}
	return doc, password, nil
}

// memberAddShape enforces MemberAddShape and turns the vendor's shape of a
// member addition into RFC 7644's.
func (s *Server) memberAddShape(path string, value any) (string, any, error) {
	shape := s.opts.MemberAddShape
	m, isObject := value.(map[string]any)
	inner := getFold(m, "members")
	switch {
	case shape == "object" && strings.EqualFold(path, "members") && isObject && inner != nil,
		shape == "object_pathless" && path == "" && isObject && inner != nil:
		return "members", inner, nil
	case shape != "" && strings.EqualFold(path, "members"):
		return "", nil, badRequest("invalidValue", "members must be added as %s", map[string]string{
			"object": `{"op":"add","path":"members","value":{"members":[...]}}`, "object_pathless": `{"op":"add","value":{"members":[...]}}`}[shape])
	}
	return path, value, nil
}

// delayForReaders keeps showing a group as it was for GroupDelay after a
// change (apps that apply group changes asynchronously). Callers hold mu.
func (s *Server) delayForReaders(resourceType, id string, old map[string]any) {
	if resourceType == "Groups" && s.opts.GroupDelay > 0 {
		s.delayed[id] = delayedDoc{doc: copyDoc(old), until: time.Now().Add(s.opts.GroupDelay)}
	}
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, resourceType, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.current(r, resourceType, id)
	if err != nil {
		return err
	}
	if resourceType == "Users" && s.opts.DeleteMode == "soft" {
		old["active"] = false
		s.touch(old)
	} else {
		if resourceType == "Users" && s.opts.DeleteKeepsAccount {
			s.reserve(old)
		}
		delete(s.resources[resourceType], id)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
