# In place of contractor.tf: Terraform forgets the user and leaves it in the
# app as it is (active), with no request to the app.
removed {
  from = scim_user.contractor

  lifecycle {
    destroy = false
  }
}
