package provider

import (
	"os"
	"runtime/debug"
)

// sourceLevelVariables set the levels of the provider's own loggers: the
// SDKs' root and subsystems, and this provider's root and HTTP subsystem.
var sourceLevelVariables = []string{
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
	"TF_LOG_PROVIDER_SCIM", "TF_LOG_PROVIDER_SCIM_HTTP",
}

// logLevelVariables are the variables that make Terraform show provider
// logs (TF_LOG, TF_LOG_PROVIDER) or that set the provider's own levels.
var logLevelVariables = append([]string{"TF_LOG", "TF_LOG_PROVIDER"}, sourceLevelVariables...)

// TuneProcess prepares the provider process before it serves Terraform.
// The benchmark's floor provider calls it too, so figures compare I/O and
// logic, not process settings.
//
// Logging: with no level set, the plugin SDKs log every RPC at TRACE as
// JSON to stderr, and Terraform throws those lines away unless TF_LOG or
// TF_LOG_PROVIDER is set in its environment, which the provider inherits.
// Encoding them costs about 30% of the provider's CPU in a large plan, so
// when nobody asked for logs they are switched off at the source. Setting
// any of logLevelVariables (as TF_LOG=TRACE does) keeps the SDKs' behaviour.
//
// Every level variable is switched off, not only the roots: a subsystem
// (the framework's, the protocol's, this provider's HTTP one) whose own
// level is unset still gathers and merges the fields of each message
// before its logger drops it, about 9% of the provider's CPU in a large
// create plan, most of it for the framework's trace lines.
//
// Garbage collection: each RPC allocates a lot briefly and keeps almost
// nothing (see NewReleasingServer), so the live heap stays at a few MiB
// whatever the number of resources. So the collector runs at 200% heap
// growth instead of 100%: half as often, for a few MiB more resident
// memory. GOGC, when set, still wins.
func TuneProcess() {
	if !logsRequested(os.Getenv) {
		for _, name := range sourceLevelVariables {
			_ = os.Setenv(name, "OFF")
		}
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

func logsRequested(getenv func(string) string) bool {
	for _, name := range logLevelVariables {
		if getenv(name) != "" {
			return true
		}
	}
	return false
}
