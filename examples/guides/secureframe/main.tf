# Secureframe: endpoint and token issued by Secureframe account management,
# given as SCIM_ENDPOINT and SCIM_TOKEN. Users only: no groups, no deletion.
provider "scim" {
  vendor = "secureframe"
}

resource "scim_user" "engineer" {
  user_name    = "engineer@example.com"
  display_name = "Eve Engineer"
  name         = { given_name = "Eve", family_name = "Engineer" }
  emails       = [{ value = "engineer@example.com", type = "work", primary = true }]
  title        = "Engineer"
}
