# One roster, several apps: people.csv says who gets which app, and one
# module instance per app provisions that app's share of it through the
# app's own provider configuration.
terraform {
  required_providers {
    scim = {
      source  = "scim-terraform/scim"
      version = "~> 0.1"
    }
  }
}

locals {
  people = csvdecode(file("${path.module}/people.csv"))
  # The people of each app, by the space-separated "apps" column.
  people_by_app = {
    for app in ["hyperproof", "hoppscotch"] :
    app => [for person in local.people : person if contains(split(" ", person.apps), app)]
  }
}

provider "scim" {
  alias    = "hyperproof"
  vendor   = "hyperproof"
  endpoint = var.hyperproof_endpoint
  token    = var.hyperproof_token
}

provider "scim" {
  alias    = "hoppscotch"
  vendor   = "hoppscotch"
  endpoint = var.hoppscotch_endpoint
  token    = var.hoppscotch_token
}

module "hyperproof" {
  source    = "./modules/app_access"
  providers = { scim = scim.hyperproof }
  people    = local.people_by_app["hyperproof"]
}

module "hoppscotch" {
  source    = "./modules/app_access"
  providers = { scim = scim.hoppscotch }
  people    = local.people_by_app["hoppscotch"]
}

output "user_ids" {
  value = {
    hyperproof = module.hyperproof.user_ids
    hoppscotch = module.hoppscotch.user_ids
  }
}

variable "hyperproof_endpoint" {
  type = string
}

variable "hyperproof_token" {
  type      = string
  sensitive = true
}

variable "hoppscotch_endpoint" {
  type = string
}

variable "hoppscotch_token" {
  type      = string
  sensitive = true
}
