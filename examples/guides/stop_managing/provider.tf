terraform {
  required_providers {
    scim = {
      source  = "scim-terraform/scim"
      version = "~> 0.1"
    }
  }
}

variable "scim_endpoint" {
  type = string
}

provider "scim" {
  endpoint = var.scim_endpoint
  # token from SCIM_TOKEN
}
