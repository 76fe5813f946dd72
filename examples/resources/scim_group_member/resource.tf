resource "scim_user" "carol" {
  user_name = "carol@example.com"
}

# A group whose members are not managed by scim_group itself.
resource "scim_group" "auditors" {
  display_name = "Auditors"
}

resource "scim_group_member" "carol_auditors" {
  group_id  = scim_group.auditors.id
  member_id = scim_user.carol.id
}
