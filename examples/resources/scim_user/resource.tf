resource "scim_user" "alice" {
  user_name    = "alice@example.com"
  external_id  = "00u1abcd"
  display_name = "Alice Example"
  title        = "Engineer"

  name = {
    given_name  = "Alice"
    family_name = "Example"
  }

  emails = [
    { value = "alice@example.com", type = "work", primary = true },
  ]
  phone_numbers = [
    { value = "+1 555 0100", type = "work" },
  ]
  roles = [
    { value = "Compliance manager" },
  ]

  enterprise = {
    employee_number = "42"
    department      = "Security"
  }

  # Attributes of other schema extensions, keyed by URN.
  extensions = {
    "urn:example:params:scim:schemas:extension:custom:2.0:User" = jsonencode({ team = "blue" })
  }

  # destroy_mode = "deactivate" (default) | "delete" | "abandon"
}
