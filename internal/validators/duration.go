package validators

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Duration accepts Go durations greater than zero (or zero, with
// allowZero), and no longer than most when most is above zero. The framework validators
// have no duration validator, and the timetypes module's GoDuration would
// change the attribute's type for users of the provider block.
func Duration(allowZero bool, most time.Duration) validator.String {
	return duration{allowZero: allowZero, max: most}
}

type duration struct {
	allowZero bool
	max       time.Duration
}

func (v duration) Description(context.Context) string {
	desc := "must be a positive Go duration such as 30s or 2m"
	if v.allowZero {
		desc = "must be a Go duration such as 0s, 30s or 2m"
	}
	if v.max > 0 {
		desc += ", at most " + v.max.String()
	}
	return desc
}

func (v duration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v duration) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < 0 || (d == 0 && !v.allowZero) || (v.max > 0 && d > v.max) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q %s.", req.ConfigValue.ValueString(), v.Description(ctx)))
	}
}
