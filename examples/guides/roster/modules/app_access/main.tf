# The users of one app, from rows of the roster. The app is the provider
# configuration the caller passes in.
terraform {
  required_providers {
    scim = {
      source = "scim-terraform/scim"
    }
  }
}

variable "people" {
  description = "Rows of the roster: email, given_name, family_name, department."
  type        = list(map(string))
}

resource "scim_user" "person" {
  # Keyed by the lower-cased email, so reordering the roster changes nothing.
  for_each = { for person in var.people : lower(person.email) => person }

  user_name = each.key
  name = {
    given_name  = each.value.given_name
    family_name = each.value.family_name
  }
  emails     = [{ value = each.key, type = "work", primary = true }]
  enterprise = { department = each.value.department }
  # Removing someone from the roster (or from this app's column) deactivates
  # their account in the app; it is not deleted.
}

output "user_ids" {
  description = "SCIM ids by email."
  value       = { for email, user in scim_user.person : email => user.id }
}
