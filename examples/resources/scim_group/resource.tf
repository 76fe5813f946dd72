resource "scim_user" "alice" {
  user_name = "alice@example.com"
}

resource "scim_user" "bob" {
  user_name = "bob@example.com"
}

# members is authoritative: members added in the app are removed on apply.
resource "scim_group" "engineering" {
  display_name = "Engineering"
  external_id  = "grp-eng"
  members      = [scim_user.alice.id, scim_user.bob.id]
}

# Without members, membership is left to the app or to scim_group_member.
resource "scim_group" "announcements" {
  display_name = "Announcements"
}
