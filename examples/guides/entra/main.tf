# Microsoft Entra ID's SCIM API: endpoint https://graph.microsoft.com/rp/scim
# as SCIM_ENDPOINT, and an app-only OAuth 2.0 token from the client
# credentials in SCIM_OAUTH2_TOKEN_URL, SCIM_OAUTH2_CLIENT_ID,
# SCIM_OAUTH2_CLIENT_SECRET and SCIM_OAUTH2_SCOPES.
provider "scim" {
  vendor = "entra"
}

resource "scim_user" "adele" {
  user_name    = "adele@contoso.example"
  display_name = "Adele Vance"
  name         = { given_name = "Adele", family_name = "Vance" }
  emails       = [{ value = "adele@contoso.example", type = "work", primary = true }]
}

resource "scim_user" "alex" {
  user_name    = "alex@contoso.example"
  display_name = "Alex Wilber"
  name         = { given_name = "Alex", family_name = "Wilber" }
  emails       = [{ value = "alex@contoso.example", type = "work", primary = true }]
}

resource "scim_group" "auditors" {
  display_name = "Auditors"
  members      = [scim_user.adele.id, scim_user.alex.id]
}
