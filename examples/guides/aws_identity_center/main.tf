# AWS IAM Identity Center: the SCIM endpoint and access token from
# Settings > Automatic provisioning, given as SCIM_ENDPOINT and SCIM_TOKEN.
provider "scim" {
  vendor = "aws_identity_center"
}

resource "scim_user" "alice" {
  user_name    = "alice@example.com"
  display_name = "Alice Example"
  name         = { given_name = "Alice", family_name = "Example" }
  emails       = [{ value = "alice@example.com", type = "work", primary = true }]
}

resource "scim_group" "platform" {
  display_name = "Platform"
  members      = [scim_user.alice.id]
}
