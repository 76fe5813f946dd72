# Databricks account SCIM: SCIM_ENDPOINT is
# https://accounts.cloud.databricks.com/api/2.0/accounts/<account id>/scim/v2,
# and a token of an account admin.
provider "scim" {
  vendor = "databricks"
}

resource "scim_user" "grace" {
  user_name    = "grace@example.com"
  display_name = "Grace Hopper"
  emails       = [{ value = "grace@example.com", type = "work", primary = true }]
}

resource "scim_group" "data_engineers" {
  display_name = "data-engineers"
  members      = [scim_user.grace.id]
}
