import {
  to = scim_group_member.carol_auditors
  identity = {
    group_id  = "6c5bb468-14b2-4183-baf2-06d523e03bd3"
    member_id = "2819c223-7f76-453a-919d-413861904646"
  }
}
