# Salesforce: SCIM_ENDPOINT is https://<MyDomain>.my.salesforce.com/services/scim/v2,
# SCIM_TOKEN an OAuth 2.0 access token of a connected app.
provider "scim" {
  vendor = "salesforce"
}

resource "scim_user" "ada" {
  user_name = "ada@example.com.prod" # Salesforce usernames are unique across all orgs
  name      = { given_name = "Ada", family_name = "Lovelace" }
  emails    = [{ value = "ada@example.com", type = "work", primary = true }]
  # Salesforce deactivates users and never deletes them: keep the default
  # destroy_mode = "deactivate".
}

resource "scim_group" "analysts" {
  display_name = "Analysts" # a public group
  members      = [scim_user.ada.id]
}
