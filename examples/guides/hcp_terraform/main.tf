# HCP Terraform: the SCIM endpoint of the organization and a SCIM token
# created by an organization owner, given as SCIM_ENDPOINT and SCIM_TOKEN.
# Groups map to HCP Terraform teams.
provider "scim" {
  vendor = "hcp_terraform"
}

resource "scim_user" "operator" {
  user_name = "operator@example.com"
  emails    = [{ value = "operator@example.com", type = "work", primary = true }]
}

resource "scim_group" "operators" {
  display_name = "operators"
  members      = [scim_user.operator.id]
}
