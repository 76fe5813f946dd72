package scim

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scimjson"
)

// jsonObject is a decoded JSON object read with case-insensitive keys, as
// RFC 7643 section 2.1 makes attribute names case-insensitive.
type jsonObject map[string]any

// parseObject decodes a JSON object, keeping numbers as json.Number so that
// large ids survive.
func parseObject(body []byte) (jsonObject, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return jsonObject(m), true
}

func (o jsonObject) get(name string) (any, bool) { return scimjson.Get(o, name) }

// str reads a string, accepting numbers and booleans written as JSON scalars.
func (o jsonObject) str(name string) string {
	v, _ := o.get(name)
	return scalarString(v)
}

func scalarString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return ""
}

// boolean reads a boolean, accepting "true"/"False" strings that some servers send.
func (o jsonObject) boolean(name string) (value, present bool) {
	v, ok := o.get(name)
	if !ok {
		return false, false
	}
	if s, ok := v.(string); ok {
		v = strings.TrimSpace(s)
	}
	return scimjson.Bool(v)
}

// integer reads an integer written as a number or a string.
func (o jsonObject) integer(name string) (int, bool) {
	v, ok := o.get(name)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(scalarString(v)))
	return n, err == nil
}

func (o jsonObject) object(name string) (jsonObject, bool) {
	v, _ := o.get(name)
	m, ok := v.(map[string]any)
	return jsonObject(m), ok
}

func (o jsonObject) list(name string) ([]any, bool) {
	v, _ := o.get(name)
	l, ok := v.([]any)
	return l, ok
}

// marshal encodes without HTML escaping, so values such as "a<b" reach the
// server byte for byte.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
