// Command supportedapps prints the template of the Supported apps guide,
// generated from the vendor presets (see internal/presetdocs); `make
// generate` writes it to templates/guides/supported-apps.md.tmpl.
package main

import (
	"fmt"

	"github.com/scim-terraform/terraform-provider-scim/internal/presetdocs"
)

func main() { fmt.Print(presetdocs.Render()) }
