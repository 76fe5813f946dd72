# Brings every user and group of an existing tenant under management in one
# apply (Terraform 1.7 or later, for import blocks with for_each). The
# resources are written from the data sources, so the plan after the import
# is empty; replace the expressions with literal values over time if you
# prefer to review them in code (or use `terraform plan -generate-config-out`).

data "scim_users" "all" {}

data "scim_groups" "all" {}

locals {
  users  = { for u in data.scim_users.all.users : u.id => u }
  groups = { for g in data.scim_groups.all.groups : g.id => g }
}

import {
  for_each = local.users
  to       = scim_user.all[each.key]
  id       = each.key
}

resource "scim_user" "all" {
  for_each = local.users

  user_name          = each.value.user_name
  external_id        = each.value.external_id
  display_name       = each.value.display_name
  nick_name          = each.value.nick_name
  profile_url        = each.value.profile_url
  title              = each.value.title
  user_type          = each.value.user_type
  preferred_language = each.value.preferred_language
  locale             = each.value.locale
  timezone           = each.value.timezone
  active             = each.value.active
  name               = each.value.name
  emails             = each.value.emails
  phone_numbers      = each.value.phone_numbers
  roles              = each.value.roles
  entitlements       = each.value.entitlements
  enterprise         = each.value.enterprise
}

import {
  for_each = local.groups
  to       = scim_group.all[each.key]
  id       = each.key
}

resource "scim_group" "all" {
  for_each = local.groups

  display_name = each.value.display_name
  external_id  = each.value.external_id
  members      = each.value.members
}
