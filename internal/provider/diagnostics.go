package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim"
)

// clientError builds the diagnostic for a failed SCIM call: what failed, the
// server's status, scimType and detail (inside err), and what to do next.
func clientError(verb, kind, name string, err error) (summary, detail string) {
	summary = fmt.Sprintf("Error %s SCIM %s", verb, kind)
	detail = fmt.Sprintf("Could not %s SCIM %s %q: %s", verbBase(verb), kind, name, err)
	if hint := nextStep(err); hint != "" {
		detail += "\n\n" + hint
	}
	return summary, detail
}

// baseForms turns the -ing form a diagnostic summary uses into the form
// its detail needs ("Could not add members to ...").
var baseForms = map[string]string{
	"creating": "create", "reading": "read", "updating": "update", "deleting": "delete", "deactivating": "deactivate",
	"importing": "import", "listing": "list", "adding": "add", "removing": "remove",
}

// verbBase rewrites the first word of an action such as "adding members
// to" into its base form ("add members to").
func verbBase(action string) string {
	first, rest, _ := strings.Cut(action, " ")
	if base, ok := baseForms[first]; ok {
		first = base
	}
	return strings.TrimSpace(first + " " + rest)
}

// nextStep suggests a remedy for the common failures.
func nextStep(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "The operation did not finish within its time limit, retries and rate-limit waits included. Raise it " +
			"with a timeouts block on the resource (create, read, update, delete), or check the app's rate limits " +
			"(rate_limit in the provider block). Nothing was lost: run terraform apply again."
	}
	var mismatch *scim.TenantMismatchError
	var notKept *scim.NotKeptError
	var refused *scim.PatchRefusedError
	var maybe *scim.MaybeCreatedError
	switch {
	case errors.As(err, &maybe):
		return "Look in the app for the object this create may have made (nobody else's). If it is there, import it " +
			"(terraform import <resource address> <its SCIM id>) instead of applying again, which would make a second " +
			"one; if it is not, run terraform apply again."
	case errors.As(err, &refused):
		return fmt.Sprintf("The app takes no change of %s through SCIM, by PATCH or by PUT. Change it in the app, or "+
			"leave it out of the configuration, then apply again.", userAttrNames(refused.Paths))
	case errors.As(err, &mismatch):
		return "Nothing was removed from the state. Check endpoint (and the token: some apps route by credentials); " +
			"then run terraform plan again. If the objects really were deleted in the app, set allow_empty_tenant = true " +
			"in the provider block for this run."
	case errors.As(err, &notKept) && notKept.NeverShowsMembers():
		return fmt.Sprintf("If this app takes member changes but never shows members on reads, set members_read = %q "+
			"in the provider's dialect block: membership is then written as add/remove changes and trusted from the state "+
			"(changes made in the app cannot be detected).", scim.MembersWriteOnly)
	case errors.As(err, &notKept):
		return "The app answered each request with success but did not keep the change. Check the members' ids and " +
			"the app's own rules for this group (some apps manage some groups themselves), then apply again."
	}
	var limited *scim.RateLimitedError
	if errors.As(err, &limited) {
		return "Other clients may be spending the same rate limit (other workspaces, tools or machines): run fewer " +
			"workspaces at once, set rate_limit_reserve to leave them a share, or raise max_retries and this resource's " +
			"timeouts. Nothing was lost: run terraform apply again."
	}
	var se *scim.Error
	if !errors.As(err, &se) {
		if errors.Is(err, scim.ErrUnsupported) {
			return "The app's SCIM API cannot do this: change the configuration as the message above says (the vendor's guide lists what it supports)."
		}
		return "Check that the endpoint is reachable from this machine; the request can be retried with another apply."
	}
	switch {
	case se.NonSCIM && se.StatusCode == http.StatusNotFound:
		return "The server answered with a non-SCIM page: check that endpoint is the SCIM base URL (it usually ends in /scim/v2)."
	case se.StatusCode == http.StatusUnauthorized:
		return "The app rejected the credentials: check token (or basic_auth, oauth2). " + se.AuthHint
	case se.StatusCode == http.StatusForbidden:
		return "The credentials are valid but lack permission: the SCIM token needs provisioning (admin) rights in the app."
	case se.StatusCode == http.StatusConflict:
		return "An object with the same unique value exists; import it, or change the conflicting attribute."
	case se.StatusCode == http.StatusPreconditionFailed:
		return "The object changed on the server since it was read; run terraform apply again to re-read it."
	case se.StatusCode == http.StatusTooManyRequests:
		return "The app kept rate-limiting after all retries: set rate_limit in the provider block, or raise max_retries."
	case se.StatusCode == http.StatusMethodNotAllowed || se.StatusCode == http.StatusNotImplemented:
		return "The app does not support this operation through SCIM."
	case se.StatusCode >= 500:
		return "The app had an internal error; run terraform apply again later. Nothing was lost: the state still describes what exists."
	case se.StatusCode == http.StatusBadRequest:
		return "The app rejected a value: check the attributes named in the detail above against what the app accepts."
	}
	return ""
}

// userAttrNames names SCIM attribute paths by their scim_user attributes
// where one writes them ("external_id"), else as the app calls them.
func userAttrNames(paths []string) string {
	var names []string
	for _, p := range paths {
		name := argumentFor(p)
		if name == "" {
			name = p
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}
