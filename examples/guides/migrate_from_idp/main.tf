# Taking over users an identity provider provisioned: the first apply
# adopts the active accounts instead of failing or creating duplicates, and
# writes only what this configuration sets.
provider "scim" {}

resource "scim_user" "alice" {
  user_name      = "alice@example.com"
  display_name   = "Alice Example"
  adopt_existing = true
}

resource "scim_user" "bob" {
  user_name      = "bob@example.com"
  display_name   = "Bob Example"
  adopt_existing = true
}
