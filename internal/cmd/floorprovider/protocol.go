package main

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolFloor serves the floor's schemas but answers the resource calls
// Terraform makes per instance (validate, upgrade, plan, apply, read)
// itself, with the least work the protocol allows, instead of through
// terraform-plugin-framework. Run beside the framework floor, it splits the
// schema's cost between Terraform, which pays the same here, and the
// framework, which is not here at all. FLOOR_SERVER=protocol selects it.
//
// What it plans is what the framework floor plans for the benchmark's
// configuration, except defaults: a computed attribute left null in the
// configuration of a new instance is unknown (the framework would plan an
// attribute's default instead), an existing instance keeps its state
// values (as UseStateForUnknown does), and write-only attributes are null.
// Applying fills the unknown values as the framework floor does (known).
type protocolFloor struct {
	tfprotov6.ProviderServer // the framework floor, for everything else

	once    sync.Once
	schemas map[string]resourceShape
}

// resourceShape is what the calls need to know of one resource type.
type resourceShape struct {
	typ tftypes.Type
	// computed and writeOnly are keyed by attribute path without element
	// keys ("name.formatted", "emails.display").
	computed, writeOnly map[string]bool
}

func newProtocolFloor(framework tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return &protocolFloor{ProviderServer: framework}
}

func (s *protocolFloor) shape(ctx context.Context, typeName string) resourceShape {
	s.once.Do(func() {
		s.schemas = map[string]resourceShape{}
		resp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			return
		}
		for name, sch := range resp.ResourceSchemas {
			shape := resourceShape{typ: sch.ValueType(), computed: map[string]bool{}, writeOnly: map[string]bool{}}
			shape.addBlock("", sch.Block)
			s.schemas[name] = shape
		}
	})
	return s.schemas[typeName]
}

func (r resourceShape) addBlock(prefix string, b *tfprotov6.SchemaBlock) {
	for _, a := range b.Attributes {
		r.addAttribute(prefix+a.Name, a)
	}
	for _, nb := range b.BlockTypes {
		r.addBlock(prefix+nb.TypeName+".", nb.Block)
	}
}

func (r resourceShape) addAttribute(key string, a *tfprotov6.SchemaAttribute) {
	r.computed[key], r.writeOnly[key] = a.Computed, a.WriteOnly
	if a.NestedType != nil {
		for _, sub := range a.NestedType.Attributes {
			r.addAttribute(key+"."+sub.Name, sub)
		}
	}
}

// attributeKey is p's attribute names joined by dots, element keys left out.
func attributeKey(p *tftypes.AttributePath) string {
	var names []string
	for _, step := range p.Steps() {
		if name, ok := step.(tftypes.AttributeName); ok {
			names = append(names, string(name))
		}
	}
	return strings.Join(names, ".")
}

// ValidateResourceConfig accepts every configuration: Terraform has already
// checked it against the schema's types.
func (s *protocolFloor) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState decodes the stored JSON into the schema's type, the
// least any provider must do (state is never of an older version here).
func (s *protocolFloor) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	shape := s.shape(ctx, req.TypeName)
	value, err := req.RawState.UnmarshalWithOpts(shape.typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("decoding state", err)}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(shape.typ, value)
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("encoding state", err)}, nil
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource finds nothing changed: the state comes back as it went.
func (s *protocolFloor) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange plans Terraform's proposed new state, with the
// computed attributes of a new instance unknown and write-only ones null.
func (s *protocolFloor) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	shape := s.shape(ctx, req.TypeName)
	proposed, err := req.ProposedNewState.Unmarshal(shape.typ)
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("decoding the proposed state", err)}, nil
	}
	if proposed.IsNull() { // destroy
		return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState}, nil
	}
	prior, err := req.PriorState.Unmarshal(shape.typ)
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("decoding the prior state", err)}, nil
	}
	creating := prior.IsNull()
	planned, err := tftypes.Transform(proposed, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		key := attributeKey(p)
		switch {
		case shape.writeOnly[key]:
			return tftypes.NewValue(v.Type(), nil), nil
		case creating && v.IsNull() && shape.computed[key]:
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		}
		return v, nil
	})
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("planning", err)}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(shape.typ, planned)
	if err != nil {
		return &tfprotov6.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("encoding the plan", err)}, nil
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: &dv, PlannedPrivate: req.PriorPrivate}, nil
}

// ApplyResourceChange stores the plan with its unknown values filled.
func (s *protocolFloor) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	shape := s.shape(ctx, req.TypeName)
	planned, err := req.PlannedState.Unmarshal(shape.typ)
	if err != nil {
		return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: errorDiagnostics("decoding the plan", err)}, nil
	}
	if planned.IsNull() { // destroyed
		return &tfprotov6.ApplyResourceChangeResponse{NewState: req.PlannedState}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(shape.typ, known(planned))
	if err != nil {
		return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: errorDiagnostics("encoding the new state", err)}, nil
	}
	return &tfprotov6.ApplyResourceChangeResponse{NewState: &dv, Private: req.PlannedPrivate}, nil
}

func errorDiagnostics(doing string, err error) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Floor provider failed " + doing, Detail: err.Error()}}
}
