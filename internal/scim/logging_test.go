package scim

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestMaskingHandlerMasksEveryPlace(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-token"
	var logs bytes.Buffer
	logger := newMaskedLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: LevelTrace})), []string{secret})
	logger = logger.With("base_url", "https://x.example/?key="+secret).WithGroup("call")
	logger.Log(context.Background(), LevelTrace, "sent "+secret,
		"Authorization", "Bearer abc",
		"error", errors.New("dial: "+secret+" refused"),
		"body", `{"userName":"a","PASSWORD":"hunter2"}`,
		slog.Group("nested", "value", "x"+secret+"y"),
		"count", 3,
	)
	out := logs.String()
	for _, leaked := range []string{secret, "abc", "hunter2"} {
		if strings.Contains(out, leaked) {
			t.Errorf("%q logged:\n%s", leaked, out)
		}
	}
	for _, kept := range []string{`"msg":"sent ***"`, `"dial: *** refused"`, `"PASSWORD\":\"***\"`, `"value":"x***y"`, `"count":3`, `"Authorization":"***"`} {
		if !strings.Contains(out, kept) {
			t.Errorf("want %s in:\n%s", kept, out)
		}
	}
}

func TestNilLoggerDiscards(t *testing.T) {
	t.Parallel()
	l := newMaskedLogger(nil, nil)
	if l.Enabled(context.Background(), slog.LevelError) {
		t.Error("a nil logger must discard every level")
	}
}
