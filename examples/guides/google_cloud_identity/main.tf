# Google Cloud Identity: SCIM_ENDPOINT is
# https://cloudidentityscim.googleapis.com/v1/customers/<customer id>/v2,
# SCIM_TOKEN a Google OAuth access token with the admin.directory.user
# scope, for example `token = data.google_client_config.default.access_token`
# in the provider block when the google provider is configured.
provider "scim" {
  vendor = "google_cloud_identity"
}

resource "scim_user" "ren" {
  user_name    = "ren@example.com"
  display_name = "Ren Ito"
  name         = { given_name = "Ren", family_name = "Ito" }
  emails       = [{ value = "ren@example.com", type = "work", primary = true }]
}

resource "scim_group" "engineering" {
  display_name = "Engineering"
  members      = [scim_user.ren.id]
}
