terraform {
  required_providers {
    scim = {
      source  = "scim-terraform/scim"
      version = "~> 0.1"
    }
  }
}

# One provider block (or alias) per SaaS tenant. Endpoint and token may also
# come from SCIM_ENDPOINT and SCIM_TOKEN.
provider "scim" {
  endpoint = var.scim_endpoint # e.g. https://api.example.com/scim/v2
  token    = var.scim_token

  rate_limit      = 20 # requests per second, shared by all resources
  request_timeout = "30s"
}

variable "scim_endpoint" {
  type = string
}

variable "scim_token" {
  type      = string
  sensitive = true
}
