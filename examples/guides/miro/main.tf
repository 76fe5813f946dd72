# Miro: SCIM_ENDPOINT is https://miro.com/api/v1/scim, SCIM_TOKEN the token
# from Company settings > Enterprise integrations.
provider "scim" {
  vendor = "miro"
}

resource "scim_user" "lin" {
  user_name    = "lin@example.com"
  display_name = "Lin Chen"
  name         = { given_name = "Lin", family_name = "Chen" }
  emails       = [{ value = "lin@example.com", type = "work", primary = true }]
}

resource "scim_group" "design" {
  display_name = "Design" # a Miro user group (organizations on the newer model)
  members      = [scim_user.lin.id]
}
