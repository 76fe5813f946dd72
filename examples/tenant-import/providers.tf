terraform {
  required_version = ">= 1.7"
  required_providers {
    scim = {
      source = "scim-terraform/scim"
    }
  }
}

# Reads SCIM_ENDPOINT and SCIM_TOKEN from the environment.
provider "scim" {}
