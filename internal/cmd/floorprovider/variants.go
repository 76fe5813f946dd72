package main

import (
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// Schema variants of scim_user for measuring what each construct costs
// Terraform. Each accepts the benchmark's configuration (user_name,
// display_name, title, name, emails); the bench runs the same lifecycle
// against each and prints the times side by side.
var variants = map[string]func(schema.Schema) schema.Schema{
	// real: the provider's schema as it is.
	"real": func(s schema.Schema) schema.Schema { return s },
	// minimal: the seven attributes the configuration needs, no more.
	"minimal": func(schema.Schema) schema.Schema { return minimalUserSchema() },
	// no-modifiers: no plan modifiers and no defaults.
	"no-modifiers": func(s schema.Schema) schema.Schema { return mapAttributes(s, stripModifiers) },
	// sets: the multi-valued attributes as nested sets, as they were before
	// they became lists.
	"sets": func(s schema.Schema) schema.Schema { return mapAttributes(s, listsToSets) },
	// optional-only: nothing computed but id (no attribute the app may fill).
	"optional-only": func(s schema.Schema) schema.Schema { return mapAttributes(s, optionalOnly) },
	// used-only: the real definitions of the attributes the configuration
	// uses (and id), the others left out: what the attribute count costs.
	"used-only": func(s schema.Schema) schema.Schema {
		out := s
		out.Attributes, out.Blocks = map[string]schema.Attribute{}, nil
		for _, name := range []string{"id", "user_name", "display_name", "title", "active", "name", "emails"} {
			out.Attributes[name] = s.Attributes[name]
		}
		return out
	},
	// no-timeouts: without the timeouts block.
	"no-timeouts": func(s schema.Schema) schema.Schema { s.Blocks = nil; return s },
}

func variantNames() []string {
	var names []string
	for n := range variants {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func lookupVariant(name string) (func(schema.Schema) schema.Schema, error) {
	if name == "" {
		name = "real"
	}
	v, ok := variants[name]
	if !ok {
		return nil, fmt.Errorf("FLOOR_SCHEMA=%q: want one of %v", name, variantNames())
	}
	return v, nil
}

func minimalUserSchema() schema.Schema {
	str := func() schema.StringAttribute { return schema.StringAttribute{Optional: true} }
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"user_name":    schema.StringAttribute{Required: true},
		"display_name": str(),
		"title":        str(),
		"active":       schema.BoolAttribute{Optional: true},
		"name": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"given_name": str(), "family_name": str(),
		}},
		"emails": schema.ListNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				"value": schema.StringAttribute{Required: true}, "type": str(), "primary": schema.BoolAttribute{Optional: true},
			},
		}},
	}}
}

// mapAttributes applies f to every top-level attribute except id.
func mapAttributes(s schema.Schema, f func(schema.Attribute) schema.Attribute) schema.Schema {
	out := s
	out.Attributes = map[string]schema.Attribute{}
	for name, a := range s.Attributes {
		if name == "id" {
			out.Attributes[name] = a
			continue
		}
		out.Attributes[name] = f(a)
	}
	return out
}

func stripModifiers(a schema.Attribute) schema.Attribute {
	switch v := a.(type) {
	case schema.StringAttribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	case schema.BoolAttribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	case schema.Int64Attribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	case schema.SingleNestedAttribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	case schema.ListNestedAttribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	case schema.MapAttribute:
		v.PlanModifiers, v.Default = nil, nil
		return v
	}
	return a
}

func listsToSets(a schema.Attribute) schema.Attribute {
	if v, ok := a.(schema.ListNestedAttribute); ok {
		return schema.SetNestedAttribute{MarkdownDescription: v.MarkdownDescription, Optional: v.Optional,
			Computed: v.Computed, NestedObject: v.NestedObject,
			PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()}}
	}
	return a
}

func optionalOnly(a schema.Attribute) schema.Attribute {
	a = stripModifiers(a)
	switch v := a.(type) {
	case schema.StringAttribute:
		v.Computed, v.Optional = false, !v.Required
		return v
	case schema.BoolAttribute:
		v.Computed, v.Optional = false, true
		return v
	case schema.SingleNestedAttribute:
		v.Computed, v.Optional = false, true
		for n, sub := range v.Attributes {
			v.Attributes[n] = optionalOnly(sub)
		}
		return v
	case schema.ListNestedAttribute:
		v.Computed, v.Optional = false, true
		return v
	}
	return a
}
