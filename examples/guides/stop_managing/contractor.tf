resource "scim_user" "contractor" {
  user_name    = "contractor@example.com"
  display_name = "Contractor"
}
