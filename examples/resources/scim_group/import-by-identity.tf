import {
  to = scim_group.engineering
  identity = {
    id = "6c5bb468-14b2-4183-baf2-06d523e03bd3"
  }
}
