package provider

import (
	"context"
	"log/slog"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// httpLogSubsystem is the tflog subsystem of the SCIM client's request logs;
// TF_LOG_PROVIDER_SCIM_HTTP sets its level.
const httpLogSubsystem = "http"

// clientLoggers are the loggers handed to the SCIM client, which logs
// through log/slog and knows nothing of Terraform. Their records go to
// terraform-plugin-log: the provider's root logger for the client's
// decisions, the http subsystem for requests.
//
// A logger whose level variable is OFF (as TuneProcess sets them when nobody
// asked for logs) is disabled here, so the client skips building and
// masking its records: tflog would drop them anyway.
func clientLoggers(getenv func(string) string) (decisions, requests *slog.Logger) {
	trace := traceRequested(getenv)
	return slog.New(tflogHandler{trace: trace, off: levelOff(getenv("TF_LOG_PROVIDER_SCIM"))}),
		slog.New(tflogHandler{subsystem: httpLogSubsystem, trace: trace, off: levelOff(getenv("TF_LOG_PROVIDER_SCIM_HTTP"))})
}

func levelOff(level string) bool {
	return strings.EqualFold(level, "OFF")
}

// traceRequested reports whether any level variable that reaches the http
// subsystem asks for TRACE (or JSON, which is TRACE). Only then does the
// client copy and redact bodies for the log.
func traceRequested(getenv func(string) string) bool {
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_SCIM", "TF_LOG_PROVIDER_SCIM_HTTP", "TF_ACC_LOG"} {
		if v := strings.ToUpper(getenv(name)); v == "TRACE" || v == "JSON" {
			return true
		}
	}
	return false
}

// tflogHandler is a slog.Handler that writes through terraform-plugin-log.
// The logger of each RPC lives in its context (terraform-plugin-go makes a
// new one per call), so the handler keeps no logger of its own: it finds it
// in the context of every record, and tflog applies the levels Terraform's
// TF_LOG variables set.
type tflogHandler struct {
	subsystem string // "" for the provider's root logger
	trace     bool   // whether records below slog.LevelDebug are wanted
	off       bool   // the logger's level variable is OFF
	prefix    string // group names, dot-separated, for attribute keys
	attrs     map[string]any
}

func (h tflogHandler) Enabled(_ context.Context, level slog.Level) bool {
	return !h.off && (level >= slog.LevelDebug || h.trace)
}

func (h tflogHandler) Handle(ctx context.Context, r slog.Record) error {
	fields := make(map[string]any, len(h.attrs)+r.NumAttrs())
	for k, v := range h.attrs {
		fields[k] = v
	}
	r.Attrs(func(a slog.Attr) bool {
		addField(fields, h.prefix, a)
		return true
	})
	if h.subsystem == "" {
		rootLog(r.Level)(ctx, r.Message, fields)
		return nil
	}
	// WithRootFields carries the RPC's tf_req_id and resource type into
	// the subsystem, so each request can be matched to its operation.
	ctx = tflog.NewSubsystem(ctx, h.subsystem, tflog.WithRootFields())
	subsystemLog(r.Level)(ctx, h.subsystem, r.Message, fields)
	return nil
}

func (h tflogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	next := h
	next.attrs = make(map[string]any, len(h.attrs)+len(attrs))
	for k, v := range h.attrs {
		next.attrs[k] = v
	}
	for _, a := range attrs {
		addField(next.attrs, h.prefix, a)
	}
	return next
}

func (h tflogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	next := h
	next.prefix = h.prefix + name + "."
	return next
}

// addField flattens a into fields, naming group members "group.key".
func addField(fields map[string]any, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, member := range v.Group() {
			addField(fields, prefix, member)
		}
		return
	}
	if a.Key == "" {
		return
	}
	fields[prefix+a.Key] = v.Any()
}

// tflog's functions by Terraform level, lowest first; tflogLevel indexes them.
var (
	rootLogs      = [...]func(context.Context, string, ...map[string]any){tflog.Trace, tflog.Debug, tflog.Info, tflog.Warn, tflog.Error}
	subsystemLogs = [...]func(context.Context, string, string, ...map[string]any){
		tflog.SubsystemTrace, tflog.SubsystemDebug, tflog.SubsystemInfo, tflog.SubsystemWarn, tflog.SubsystemError,
	}
)

// tflogLevel maps a slog level to Terraform's: below Debug is TRACE.
func tflogLevel(level slog.Level) int {
	for i, above := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		if level < above {
			return i
		}
	}
	return len(rootLogs) - 1
}

func rootLog(level slog.Level) func(context.Context, string, ...map[string]any) {
	return rootLogs[tflogLevel(level)]
}

func subsystemLog(level slog.Level) func(context.Context, string, string, ...map[string]any) {
	return subsystemLogs[tflogLevel(level)]
}
