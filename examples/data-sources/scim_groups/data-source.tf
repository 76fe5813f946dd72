data "scim_groups" "all" {}

output "group_names" {
  value = data.scim_groups.all.groups[*].display_name
}
