# Every user of the tenant, with the objects an import would store, ready
# for `terraform query -generate-config-out=generated.tf`.
list "scim_user" "all" {
  provider         = scim
  include_resource = true
  limit            = 10000
}

# Active users whose userName starts with "ops-".
list "scim_user" "ops" {
  provider = scim
  config {
    user_name_prefix = "ops-"
    active           = true
  }
}

# Any SCIM filter the app supports.
list "scim_user" "engineers" {
  provider = scim
  config {
    filter = "title eq \"Engineer\""
  }
}
