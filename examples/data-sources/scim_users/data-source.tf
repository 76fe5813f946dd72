# Every page of users; the filter is optional.
data "scim_users" "active" {
  filter = "active eq true"
}

output "active_user_names" {
  value = data.scim_users.active.users[*].user_name
}
