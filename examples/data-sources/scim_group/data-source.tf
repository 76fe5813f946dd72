data "scim_group" "engineering" {
  display_name = "Engineering" # or id
}

output "engineering_members" {
  value = data.scim_group.engineering.members
}
