# The configuration `make demo` applies to the local SCIM server. The
# provider reads SCIM_ENDPOINT and SCIM_TOKEN from the environment.
terraform {
  required_providers {
    scim = {
      source = "scim-terraform/scim"
    }
  }
}

provider "scim" {}

locals {
  people = {
    alice = { given = "Alice", family = "Example", title = "Engineer", department = "Platform" }
    bob   = { given = "Bob", family = "Builder", title = "Engineering manager", department = "Platform" }
    carol = { given = "Carol", family = "Compliance", title = "Auditor", department = "Security" }
  }
}

resource "scim_user" "people" {
  for_each = local.people

  user_name    = "${each.key}@example.com"
  display_name = "${each.value.given} ${each.value.family}"
  title        = each.value.title
  name = {
    given_name  = each.value.given
    family_name = each.value.family
  }
  emails = [{ value = "${each.key}@example.com", type = "work", primary = true }]
  enterprise = {
    department = each.value.department
    manager_id = each.key == "bob" ? null : scim_user.lead.id
  }
}

resource "scim_user" "lead" {
  user_name    = "dana@example.com"
  display_name = "Dana Lead"
  title        = "VP Engineering"
  emails       = [{ value = "dana@example.com", type = "work", primary = true }]
}

# Authoritative membership: members added in the app are removed on apply.
resource "scim_group" "platform" {
  display_name = "Platform"
  external_id  = "grp-platform"
  members      = [scim_user.people["alice"].id, scim_user.people["bob"].id]
}

# Unmanaged membership, with single memberships managed one by one.
resource "scim_group" "announcements" {
  display_name = "Announcements"
}

resource "scim_group_member" "carol_announcements" {
  group_id  = scim_group.announcements.id
  member_id = scim_user.people["carol"].id
}
