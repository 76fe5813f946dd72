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
	// no passwords; no multi-valued emails filter; displayName, givenName and
	// familyName required on create; one value of each multi-valued
	// attribute, which must be primary.
	"aws_identity_center": func() Dialect {
		d := Generic()
		d.Name, d.App = "aws_identity_center", "AWS IAM Identity Center"
		d.RequiredOnCreate = []string{"displayName", "name.givenName", "name.familyName"}
		d.SingleValued = []string{"emails", "phoneNumbers"}
		d.MembersRead = MembersFilter
		d.CursorPaging = true
		d.MemberChunkSize = 100
		d.PageSize = 100
		d.SupportsPassword = false
		d.FilterOnEmails = false
		d.RichFilters = false
		d.Discover = false
		d.AuthHint = "AWS IAM Identity Center expects the access token generated under Settings > Automatic provisioning; tokens expire after a year."
		d.GuideURL = "guides/aws_identity_center"
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
		d.RequiredOnCreate = []string{"displayName", "name.givenName", "name.familyName"}
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

	// GitHub Enterprise Managed Users (github/docs: "Provisioning users and
	// groups with SCIM using the REST API"; REST reference enterprise-admin
	// /scim): base https://api.github.com/scim/v2/enterprises/{enterprise};
	// a classic PAT of the setup user with scope scim:enterprise; DELETE of a
	// user is an irreversible hard deprovision, active=false a reversible
	// suspension; filters take one expression (userName, externalId, id,
	// displayName; no emails); groups return members unless excluded. A
	// User-Agent header is required: the provider always sends one.
	"github_emu": func() Dialect {
		d := Generic()
		d.Name, d.App = "github_emu", "GitHub Enterprise Managed Users"
		d.DeleteIrreversible = true
		d.RichFilters = false
		d.FilterOnEmails = false
		d.AuthHint = "GitHub expects a classic personal access token of the enterprise's setup user with the scim:enterprise " +
			"scope; fine-grained tokens and GitHub Apps are not accepted."
		d.GuideURL = "guides/github_emu"
		return d
	},

	// Slack (docs.slack.dev/reference/scim-api and its rate-limits page):
	// base https://api.slack.com/scim/v2; an admin user token with the admin
	// scope; DELETE of a user deactivates it; count is capped at 1000;
	// org-wide limits shared by every SCIM client: user writes 180 a minute
	// (3 a second), reads 1000 a minute.
	"slack": func() Dialect {
		d := Generic()
		d.Name, d.App = "slack", "Slack"
		d.PageSize = 1000
		d.RateLimit = 3
		d.AuthHint = "Slack expects a user token with the admin scope from an org or workspace owner's app."
		d.GuideURL = "guides/slack"
		return d
	},

	// Salesforce (help.salesforce.com identity_scim_rest_api, _manage_groups,
	// _overview): base https://{MyDomain}.my.salesforce.com/services/scim/v2;
	// an OAuth 2.0 access token; discovery at /ServiceProviderConfigs (SCIM
	// 1.1's name); users are deactivated, not deleted; a member is added as
	// {"op":"add","path":"members","value":{"members":[{"value":id}]}}.
	"salesforce": func() Dialect {
		d := Generic()
		d.Name, d.App = "salesforce", "Salesforce"
		d.DiscoveryPath = "ServiceProviderConfigs"
		d.MemberAddShape = "object"
		d.SupportsDelete = false
		d.AuthHint = "Salesforce expects an OAuth 2.0 access token of a connected app whose user may manage users."
		d.GuideURL = "guides/salesforce"
		return d
	},

	// Databricks account SCIM (docs.databricks.com reference/scim-2-1;
	// databrickslabs/ucx#638; terraform-provider-databricks#1659): base
	// https://accounts.cloud.databricks.com/api/2.0/accounts/{account_id}/
	// scim/v2; full filters up to 200 nodes; groups are not listed with
	// their members (unbounded) but read one by one; members are added with
	// a path-less {"members": [...]} value; the SDKs send application/json.
	"databricks": func() Dialect {
		d := Generic()
		d.Name, d.App = "databricks", "Databricks (account SCIM)"
		d.MembersRead = MembersAttributes
		d.MemberAddShape = "object_pathless"
		d.ContentType = "application/json"
		d.GuideURL = "guides/databricks"
		return d
	},

	// Miro (developers.miro.com reference/scim-introduction, rate-limits):
	// base https://miro.com/api/v1/scim; a bearer token from Enterprise
	// integrations; no passwords; at most 8,000 members (800,000 bytes) per
	// group PATCH, 413 beyond; per 30 seconds: 100 user PATCH/PUT (3.3 a
	// second), 200 user reads, 20 DELETEs, 5 group listings.
	"miro": func() Dialect {
		d := Generic()
		d.Name, d.App = "miro", "Miro"
		d.SupportsPassword = false
		d.MemberChunkSize = 8000
		d.RateLimit = 3.3
		d.AuthHint = "Miro expects the SCIM token shown under Enterprise integrations in the company settings."
		d.GuideURL = "guides/miro"
		return d
	},

	// Google Cloud Identity's SCIM API (docs.cloud.google.com identity/docs/
	// scim/reference/rest): base https://cloudidentityscim.googleapis.com/v1/
	// customers/{customerId}/v2; a Google OAuth access token; no paging, no
	// ETags, no PUT; a user listing needs a filter, and only userName eq.
	"google_cloud_identity": func() Dialect {
		d := Generic()
		d.Name, d.App = "google_cloud_identity", "Google Cloud Identity"
		d.ListNeedsFilter = true
		d.RichFilters = false
		d.FilterOnEmails = false
		d.Discover = false
		d.AuthHint = "Google expects an OAuth 2.0 access token with the admin.directory.user scope (for example from the " +
			"google provider's google_client_config data source)."
		d.GuideURL = "guides/google_cloud_identity"
		return d
	},

	// HCP Terraform (developer.hashicorp.com/terraform/cloud-docs/api-docs/
	// scim/users): filters on userName and externalId with eq only, userName
	// case-insensitive, count capped at 200; groups map to teams, whose
	// names are unique (409).
	"hcp_terraform": func() Dialect {
		d := Generic()
		d.Name, d.App = "hcp_terraform", "HCP Terraform"
		d.PageSize = 200
		d.FilterOnEmails = false
		d.RichFilters = false
		d.SupportsPassword = false
		d.Discover = false
		d.AuthHint = "HCP Terraform expects a SCIM token created by an organization owner under Settings > SSO > SCIM."
		d.GuideURL = "guides/hcp_terraform"
		return d
	},
}
