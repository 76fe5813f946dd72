# The configuration the scheduled job plans: any workspace works the same.
# Endpoint and token come from SCIM_ENDPOINT and SCIM_TOKEN.
terraform {
  required_providers {
    scim = {
      source  = "scim-terraform/scim"
      version = "~> 0.1"
    }
  }
}

provider "scim" {}

resource "scim_user" "auditor" {
  user_name = "auditor@example.com"
  title     = "Auditor"
  name      = { given_name = "Ada", family_name = "Auditor" }
  emails    = [{ value = "auditor@example.com", type = "work", primary = true }]
}

resource "scim_group" "auditors" {
  display_name = "Auditors"
  members      = [scim_user.auditor.id]
}
