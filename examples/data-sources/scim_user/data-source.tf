data "scim_user" "alice" {
  user_name = "alice@example.com" # or id, or external_id
}

output "alice_id" {
  value = data.scim_user.alice.id
}
