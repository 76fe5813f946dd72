package scim

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// LevelTrace is the level of request and response bodies, below
// slog.LevelDebug. Bodies are copied and redacted only when the HTTP logger
// is enabled at this level.
const LevelTrace = slog.LevelDebug - 4

// maskedKeys name attributes whose value is never logged, whatever it is.
var maskedKeys = map[string]bool{"authorization": true, "token": true, "password": true}

const mask = "***"

// maskingHandler keeps credentials out of every record the client logs:
// secret strings and JSON password values are replaced in the message and
// in every attribute, before the caller's handler sees them. The client
// does this itself, rather than trusting each caller's handler to, so no
// logger a caller passes can leak a token.
type maskingHandler struct {
	next    slog.Handler
	secrets []string
}

// newMaskedLogger wraps l (nil discards) with a maskingHandler.
func newMaskedLogger(l *slog.Logger, secrets []string) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(maskingHandler{next: l.Handler(), secrets: secrets})
}

func (h maskingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h maskingHandler) Handle(ctx context.Context, r slog.Record) error {
	masked := slog.NewRecord(r.Time, r.Level, h.maskString(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		masked.AddAttrs(h.maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, masked)
}

func (h maskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = h.maskAttr(a)
	}
	return maskingHandler{next: h.next.WithAttrs(masked), secrets: h.secrets}
}

func (h maskingHandler) WithGroup(name string) slog.Handler {
	return maskingHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h maskingHandler) maskAttr(a slog.Attr) slog.Attr {
	if maskedKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, mask)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.maskString(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]any, len(group))
		for i, member := range group {
			masked[i] = h.maskAttr(member)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny:
		// Errors and other values reach the handler as text in the end;
		// mask that text when it holds a secret.
		text := fmt.Sprint(v.Any())
		if masked := h.maskString(text); masked != text {
			return slog.String(a.Key, masked)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func (h maskingHandler) maskString(s string) string {
	for _, secret := range h.secrets {
		s = strings.ReplaceAll(s, secret, mask)
	}
	if strings.Contains(strings.ToLower(s), `"password"`) {
		s = redactPasswords(s)
	}
	return s
}
