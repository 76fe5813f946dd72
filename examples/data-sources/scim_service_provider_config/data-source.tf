data "scim_service_provider_config" "this" {}

output "patch_supported" {
  value = data.scim_service_provider_config.this.patch_supported
}
