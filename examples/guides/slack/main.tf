# Slack: SCIM_ENDPOINT is https://api.slack.com/scim/v2, SCIM_TOKEN a user
# token with the admin scope. The preset paces at Slack's documented
# 180 user writes a minute, shared by every SCIM client of the org.
provider "scim" {
  vendor = "slack"
}

resource "scim_user" "sam" {
  user_name    = "sam" # Slack does not let a userName change after create
  display_name = "Sam Rivera"
  name         = { given_name = "Sam", family_name = "Rivera" }
  emails       = [{ value = "sam@example.com", type = "work", primary = true }]
}

resource "scim_group" "oncall" {
  display_name = "oncall"
  members      = [scim_user.sam.id]
}
