# Import by SCIM id:
terraform import scim_group.engineering 6c5bb468-14b2-4183-baf2-06d523e03bd3

# Or by displayName (an ambiguous name is an error listing the ids):
terraform import scim_group.engineering "display_name:Engineering"
