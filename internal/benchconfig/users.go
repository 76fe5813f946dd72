// Package benchconfig holds the configuration the benchmark (internal/cmd/bench)
// runs, so that the floor provider's tests walk exactly what it measures.
package benchconfig

import "fmt"

// Users declares n scim_user resources named prefix<i>@example.com, set as
// the benchmark sets them (user_name, display_name, title, name, emails);
// the first `changed` of them have the "v2" title instead of "v1".
func Users(prefix string, n, changed int) string {
	return fmt.Sprintf(`
resource "scim_user" "u" {
  count        = %[1]d
  user_name    = "%[3]s${count.index}@example.com"
  display_name = "User ${count.index}"
  title        = count.index < %[2]d ? "v2" : "v1"
  name         = { given_name = "User", family_name = "N${count.index}" }
  emails       = [{ value = "%[3]s${count.index}@example.com", type = "work", primary = true }]
}
`, n, changed, prefix)
}
