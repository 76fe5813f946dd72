import {
  to = scim_user.alice
  identity = {
    id = "2819c223-7f76-453a-919d-413861904646"
  }
}
