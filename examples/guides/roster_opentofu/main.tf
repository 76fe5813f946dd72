# OpenTofu 1.9 and later: one provider block with for_each makes a
# configuration per app, and one module block with for_each uses them.
# Adding an app is one entry in var.apps. (Terraform has no provider
# for_each: use the aliases of the roster example there.)
terraform {
  required_providers {
    scim = {
      source  = "scim-terraform/scim"
      version = "~> 0.1"
    }
  }
}

locals {
  people = csvdecode(file("${path.module}/../roster/people.csv"))
}

variable "apps" {
  description = "Each app's SCIM endpoint, token and preset, by the name the roster's apps column uses."
  type = map(object({
    endpoint = string
    token    = string
    vendor   = string
  }))
  sensitive = true
}

provider "scim" {
  alias    = "app"
  for_each = nonsensitive(toset(keys(var.apps)))
  endpoint = var.apps[each.key].endpoint
  token    = var.apps[each.key].token
  vendor   = var.apps[each.key].vendor
}

module "app_access" {
  source    = "../roster/modules/app_access"
  for_each  = nonsensitive(toset(keys(var.apps)))
  providers = { scim = scim.app[each.key] }
  people    = [for person in local.people : person if contains(split(" ", person.apps), each.key)]
}
