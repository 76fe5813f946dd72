# An emergency account: Terraform manages it, and refuses any plan that
# would destroy it (deactivate it, by default) until this block is changed.
resource "scim_user" "break_glass" {
  user_name    = "break-glass@example.com"
  display_name = "Break Glass"

  lifecycle {
    prevent_destroy = true
  }
}
