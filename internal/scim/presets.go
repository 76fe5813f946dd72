package scim

import "time"

// presets are the named dialects. Each states the facts it rests on; where
// a vendor documents nothing, the preset keeps the RFC behaviour and leaves
// discovery on, so the app itself can say.
var presets = map[string]func() Dialect{
	"generic": Generic,

	// Hyperproof (docs.hyperproof.io, "Provisioning Hyperproof users and
	// groups with SCIM", and its Okta guide): Okta and Microsoft Entra ID are
	// the documented clients, and its docs show Entra-style capitalized ops
	// (`"op":"Replace"`); the bearer token comes from Settings >
	// Authentication > Provisioning, not the REST API tokens; offset paging
	// with startIndex/count; users sign in through SSO, so passwords are not
	// synchronized; removal deactivates (hard delete is a manual admin
	// action); roles Admin, Compliance manager, User, Limited access user;
	// group changes are applied asynchronously.
	"hyperproof": func() Dialect {
		d := Generic()
		d.Name, d.App = "hyperproof", "Hyperproof"
		d.PatchOpCase = "capitalized"
		// "Group changes may take a few minutes to show": reads within a
		// minute of our own write that still show the old group are retried.
		d.ConsistencyWindow = time.Minute
		d.SupportsPassword = false
		d.SupportsDelete = false
		d.Discover = false
		d.AuthHint = "Hyperproof expects the SCIM bearer token shown under Settings > Authentication > Provisioning, " +
			"not a REST API token from Settings > Integrations > API Tokens."
		d.GuideURL = "guides/hyperproof"
		return d
	},

	// Secureframe: SCIM 2.0 on the Complete plan, enabled by account
	// management; documented operations are create, update and deactivate
	// users (a third-party summary, low confidence; see docs/guides/secureframe.md).
	// No groups and no DELETE are documented, so neither is used.
	"secureframe": func() Dialect {
		d := Generic()
		d.Name, d.App = "secureframe", "Secureframe"
		d.SupportsGroups = false
		d.SupportsDelete = false
		d.SupportsPassword = false
		d.AuthHint = "Secureframe issues the SCIM bearer token when account management enables SCIM provisioning."
		d.GuideURL = "guides/secureframe"
		return d
	},

	// Hoppscotch Enterprise (docs.hoppscotch.io, "SCIM Integration for User
	// Provisioning"): base http(s)://<backend>/scim/v2, bearer InfraToken from
	// the admin dashboard; email is the unique key; custom attributes in the
	// core or enterprise namespaces; "unassigned users are removed", so a 404
	// after deactivation is success. Groups are not documented.
	"hoppscotch": func() Dialect {
		d := Generic()
		d.Name, d.App = "hoppscotch", "Hoppscotch"
		d.DeactivateMayDelete = true
		d.SupportsGroups = false
		d.SupportsPassword = false
		d.UserSchemas = []string{SchemaEnterpriseUser}
		d.AuthHint = "Hoppscotch expects an InfraToken created in the admin dashboard (InfraTokens section)."
		d.GuideURL = "guides/hoppscotch"
		return d
	},

	// Proof has no SCIM and no user API: accounts are created just in time
	// on the first SAML login (Command Center plan, verified domain), and
	// offboarding is done in the identity provider.
	"proof": func() Dialect {
		d := Generic()
		d.Name, d.App = "proof", "Proof"
		d.Discover = false
		d.Unsupported = "Proof has no SCIM endpoint and no user management API. Its accounts are created just in time " +
			"when a user first signs in through SAML SSO, and access is removed by unassigning the user in your identity " +
			"provider. Manage Proof access with your IdP's Terraform provider (the SAML app assignment) instead of this provider."
		d.GuideURL = "guides/proof"
		return d
	},

	// AWS IAM Identity Center (docs.aws.amazon.com/singlesignon/latest/
	// developerguide/, "SCIM implementation limitations", ListGroups,
	// PatchGroup, checked again in 2026): filters only eq with and; GetGroup
	// and ListGroups still return an empty member list (membership is
	// checked with `id eq "g" and members eq "u"`, or listed per user with
	// `members.value eq "u"`); ListGroups pages by cursor, starting with an
	// empty one; at most 100 membership changes per PATCH; count at most 100;
	// no passwords; no multi-valued emails filter.
	"aws_identity_center": func() Dialect {
		d := Generic()
		d.Name, d.App = "aws_identity_center", "AWS IAM Identity Center"
		d.MembersRead = MembersFilter
		d.CursorPaging = true
		d.MemberChunkSize = 100
		d.PageSize = 100
		d.SupportsPassword = false
		d.FilterOnEmails = false
		d.RichFilters = false
		d.Discover = false
		d.AuthHint = "AWS IAM Identity Center expects the access token generated under Settings > Automatic provisioning; tokens expire after a year."
		return d
	},

	// Microsoft Entra ID's SCIM API, Entra as the server (learn.microsoft.com
	// entra/identity/app-provisioning/entra-id-scim-api-reference, 2026-03):
	// base https://graph.microsoft.com/rp/scim with lower-case paths; an
	// app-only OAuth 2.0 token; no PUT; group reads never carry members,
	// which are read with filter members.value eq "u"; a PATCH adds at most
	// 20 members in one operation, removes one member, and never mixes
	// member changes with each other or with other changes; paging by
	// cursor only; filters eq and ew with and (no sw, no active, no emails);
	// lists under a lower-case "resources" (read either way). Every request
	// is billed, 404s included, which the guide says.
	"entra": func() Dialect {
		d := Generic()
		d.Name, d.App = "entra", "Microsoft Entra ID (SCIM API)"
		d.PathCase = "lower"
		d.MembersRead = MembersFilter
		d.MemberFilterAttribute = "members.value"
		d.MemberAddsPerRequest = 20
		d.MemberRemovesPerRequest = 1
		d.MemberChangesAlone = true
		d.CursorPaging = true
		d.PageSize = 100
		d.FilterOnEmails = false
		d.RichFilters = false
		d.Discover = false
		d.AuthHint = "The Entra ID SCIM API takes an app-only OAuth 2.0 token (client credentials, scope " +
			"https://graph.microsoft.com/.default) of an app granted User.ReadWrite.All and Group.ReadWrite.All: set the oauth2 block."
		d.GuideURL = "guides/entra"
		return d
	},

	// HCP Terraform (developer.hashicorp.com/terraform/cloud-docs/api-docs/
	// scim/users): filters on userName and externalId with eq only, userName
	// case-insensitive, count capped at 200; groups map to teams.
	"hcp_terraform": func() Dialect {
		d := Generic()
		d.Name, d.App = "hcp_terraform", "HCP Terraform"
		d.PageSize = 200
		d.FilterOnEmails = false
		d.SupportsPassword = false
		d.Discover = false
		d.AuthHint = "HCP Terraform expects a SCIM token created by an organization owner under Settings > SSO > SCIM."
		return d
	},
}
