# Every group of the tenant with its members, ready for
# `terraform query -generate-config-out=generated.tf`.
list "scim_group" "all" {
  provider         = scim
  include_resource = true
  limit            = 1000
}

# Groups whose displayName starts with "eng-".
list "scim_group" "engineering" {
  provider = scim
  config {
    display_name_prefix = "eng-"
  }
}
