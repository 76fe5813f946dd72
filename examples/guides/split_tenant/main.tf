# One department's workspace. Each department has its own copy of this
# configuration (a directory, a Terragrunt unit or a CI matrix entry) with
# its own state; all of them can be applied at once.

# SCIM_ENDPOINT and SCIM_TOKEN come from the environment. Runs on this
# machine that reach the same app with the same token share one pace.
provider "scim" {
  # Leave a tenth of the app's limit to its other clients (the identity
  # provider's own sync, scripts).
  rate_limit_reserve = 0.1
}

locals {
  department = "eng"
  people = [
    { handle = "ada", name = "Ada Lovelace" },
    { handle = "grace", name = "Grace Hopper" },
  ]
}

# Every user of the department has a userName that starts with its prefix,
# so no two workspaces ever manage the same user.
resource "scim_user" "person" {
  count        = length(local.people)
  user_name    = "${local.department}-${local.people[count.index].handle}@example.com"
  display_name = local.people[count.index].name
}

# The department's group belongs to this workspace; a group shared by
# every department would belong to one workspace, and the others would add
# their members to it with scim_group_member.
resource "scim_group" "department" {
  display_name = "Department ${local.department}"
  members      = scim_user.person[*].id
}
