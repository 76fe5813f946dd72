# Hoppscotch Enterprise: endpoint http(s)://<backend-URL>/scim/v2 and an
# InfraToken from the admin dashboard, given as SCIM_ENDPOINT and SCIM_TOKEN.
provider "scim" {
  vendor = "hoppscotch"
}

resource "scim_user" "developer" {
  user_name    = "developer@example.com" # the email is the unique key
  display_name = "Dev Eloper"
  emails       = [{ value = "developer@example.com", type = "work", primary = true }]
  enterprise   = { department = "API Platform" }
  # Custom attributes go in the core or enterprise namespace.
  extensions = {
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" = jsonencode({ team = "api-platform" })
  }
  # Hoppscotch removes unassigned users: destroy may delete the account.
}
