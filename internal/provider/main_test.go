package provider

import (
	"os"
	"testing"
)

// TestMain gives this test process a budget directory of its own: the
// local servers all accept one token and reuse ports, so runs of the suite
// (and other suites on the machine) sharing the user's cache directory
// would share paces learned from servers that are long gone.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "scim-rate-limits-")
	if err != nil {
		panic(err)
	}
	if os.Getenv("SCIM_RATE_LIMIT_DIR") == "" {
		_ = os.Setenv("SCIM_RATE_LIMIT_DIR", dir)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
