package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/scim-terraform/terraform-provider-scim/internal/scim/scimtest"
)

// TestAccMembershipsShareOneGroupRead: a refresh of 40 scim_group_member
// of one group reads the group once, for every dialect that reads members
// with the group (inline, attributes, or from the users' groups). Before,
// each membership fetched the whole group, members and all: 40 GETs of a
// 40-member group, a million member entries at 1,000.
func TestAccMembershipsShareOneGroupRead(t *testing.T) {
	for _, dialect := range []string{`members_read = "inline"`, `members_read = "attributes"`} {
		t.Run(dialect, func(t *testing.T) {
			srv := scimtest.NewTestServer(t, scimtest.Options{})
			group := srv.Put("Groups", map[string]any{"displayName": "Everyone"})
			var config strings.Builder
			config.WriteString(providerConfigWith(srv, "dialect = { "+dialect+" }"))
			for i := range 40 {
				user := srv.Put("Users", map[string]any{"userName": fmt.Sprintf("member%d@example.com", i), "active": true})
				fmt.Fprintf(&config, "resource \"scim_group_member\" \"m%d\" {\n  group_id  = %q\n  member_id = %q\n}\n", i, group, user)
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config.String()},
					{
						PreConfig:    srv.ResetCounts,
						RefreshState: true,
						Check: func(*terraform.State) error {
							reads := 0
							for _, r := range srv.Requests() {
								if r.Method == "GET" && strings.Contains(r.Path, "/Groups") {
									reads++
								}
							}
							if reads != 1 {
								return fmt.Errorf("refreshing 40 memberships of one group read it %d times, want once", reads)
							}
							return nil
						},
					},
				},
			})
		})
	}
}
