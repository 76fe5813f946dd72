# GitHub Enterprise Managed Users: SCIM_ENDPOINT is
# https://api.github.com/scim/v2/enterprises/<enterprise>, SCIM_TOKEN a
# classic personal access token of the setup user with scope scim:enterprise.
provider "scim" {
  vendor = "github_emu"
}

resource "scim_user" "mona" {
  user_name    = "mona_octocorp" # must match the SAML NameID your IdP sends
  display_name = "Mona Lisa"
  name         = { given_name = "Mona", family_name = "Lisa" }
  emails       = [{ value = "mona@octocorp.example", type = "work", primary = true }]
  # destroy_mode = "deactivate" (the default) suspends the account;
  # "delete" is permanent on GitHub and warns at plan time.
}

resource "scim_group" "platform" {
  display_name = "platform-team" # linked to a GitHub team in the enterprise
  members      = [scim_user.mona.id]
}
