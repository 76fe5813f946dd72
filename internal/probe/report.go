package probe

import (
	"encoding/json"
	"fmt"
	"io"
)

var marks = map[string]string{OK: "ok     ", Quirk: "quirk  ", Blocker: "BLOCKER", Unknown: "unknown"}

// WriteText writes the report for people: each finding with the request
// that showed it and what the provider does, then the provider block.
func (r *Report) WriteText(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "SCIM endpoint %s (%d requests, write round trip: %t)\n\n", r.Endpoint, r.Requests, r.Write); err != nil {
		return err
	}
	for _, f := range r.Findings {
		text := fmt.Sprintf("[%s] %s\n", marks[f.Severity], f.Summary)
		if f.Request != "" {
			text += fmt.Sprintf("          seen in: %s\n", f.Request)
		}
		if f.Provider != "" {
			text += fmt.Sprintf("          provider: %s\n", f.Provider)
		}
		if _, err := io.WriteString(w, text); err != nil {
			return err
		}
	}
	if !r.Manageable {
		_, err := fmt.Fprintf(w, "\nThe provider cannot manage this app as it answered (see BLOCKER above).\n")
		return err
	}
	_, err := fmt.Fprintf(w, "\nThe provider can manage this app. Provider block:\n\n%s", r.Block)
	return err
}

// WriteJSON writes the report for machines.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
