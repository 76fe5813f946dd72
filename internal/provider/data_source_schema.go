package provider

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/scim-terraform/terraform-provider-scim/internal/validators"
)

// The data sources show what the resources manage, shaped the same way, so
// their schemas are derived from the resource schemas: one definition of
// each attribute, its type and its description.

var (
	userResourceSchema  = sync.OnceValue(func() rschema.Schema { return resourceSchema(&userResource{}) })
	groupResourceSchema = sync.OnceValue(func() rschema.Schema { return resourceSchema(&groupResource{}) })
	// userDataAttrTypes and groupDataAttrTypes are the object types of one
	// user and one group in the list data sources.
	userDataAttrTypes = sync.OnceValue(func() map[string]attr.Type {
		return attrTypesOf(userResourceSchema(), tfsdkNames(userDataModel{}))
	})
	groupDataAttrTypes = sync.OnceValue(func() map[string]attr.Type {
		return attrTypesOf(groupResourceSchema(), tfsdkNames(groupDataModel{}))
	})
)

func resourceSchema(r resource.Resource) rschema.Schema {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
}

// tfsdkNames lists the attribute names of a model struct, embedded structs included.
func tfsdkNames(model any) []string {
	var names []string
	t := reflect.TypeOf(model)
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			names = append(names, tfsdkNames(reflect.Zero(f.Type).Interface())...)
		} else if tag := f.Tag.Get("tfsdk"); tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return names
}

func attrTypesOf(s rschema.Schema, names []string) map[string]attr.Type {
	out := make(map[string]attr.Type, len(names))
	for _, n := range names {
		out[n] = s.Attributes[n].GetType()
	}
	return out
}

// readOnlyAttributes returns the named resource attributes as computed
// data source attributes, nested attributes included, each described by
// the first sentence of the resource's description (the rest is about
// managing the attribute, which a data source does not do).
func readOnlyAttributes(attrs map[string]rschema.Attribute, names []string) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(names))
	for _, name := range names {
		a := attrs[name]
		desc := firstSentence(a.GetMarkdownDescription())
		switch t := a.(type) {
		case rschema.SingleNestedAttribute:
			out[name] = dschema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true,
				Attributes: readOnlyAttributes(t.Attributes, keys(t.Attributes))}
		case rschema.ListNestedAttribute:
			out[name] = dschema.ListNestedAttribute{MarkdownDescription: desc, Computed: true,
				NestedObject: dschema.NestedAttributeObject{Attributes: readOnlyAttributes(t.NestedObject.Attributes, keys(t.NestedObject.Attributes))}}
		case rschema.ListAttribute:
			out[name] = dschema.ListAttribute{MarkdownDescription: desc, Computed: true, CustomType: t.CustomType, ElementType: t.ElementType}
		case rschema.MapAttribute:
			out[name] = dschema.MapAttribute{MarkdownDescription: desc, Computed: true, CustomType: t.CustomType, ElementType: t.ElementType}
		case rschema.BoolAttribute:
			out[name] = dschema.BoolAttribute{MarkdownDescription: desc, Computed: true}
		case rschema.Int64Attribute:
			out[name] = dschema.Int64Attribute{MarkdownDescription: desc, Computed: true}
		default:
			out[name] = dschema.StringAttribute{MarkdownDescription: desc, Computed: true}
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// firstSentence cuts a description after its first sentence.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// lookupAttribute is an attribute a data source finds its object by: set
// in the configuration (exactly one of them), or read back.
func lookupAttribute(description string) dschema.StringAttribute {
	return dschema.StringAttribute{MarkdownDescription: description, Optional: true, Computed: true,
		Validators: []validator.String{validators.NotBlank()}}
}
