# Hyperproof: endpoint and token from Settings > Authentication > Provisioning,
# given as SCIM_ENDPOINT and SCIM_TOKEN.
provider "scim" {
  vendor = "hyperproof"
}

resource "scim_user" "auditor" {
  user_name    = "auditor@example.com" # Hyperproof uses the email as the unique identifier
  display_name = "Ada Auditor"
  name         = { given_name = "Ada", family_name = "Auditor" }
  emails       = [{ value = "auditor@example.com", type = "work", primary = true }]
  roles        = [{ value = "Compliance manager" }] # Admin, Compliance manager, User or Limited access user
  # destroy deactivates the user; Hyperproof keeps the record and its audit history.
}

resource "scim_group" "compliance" {
  display_name = "Compliance"
  members      = [scim_user.auditor.id]
}
