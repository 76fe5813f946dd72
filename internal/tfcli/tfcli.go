// Package tfcli runs the Terraform CLI in a working directory with a CLI
// configuration of its own, so that nothing from the user's ~/.terraformrc
// leaks in and no checkpoint call goes out. The demo, the benchmark and the
// tests that drive Terraform directly all run it this way.
package tfcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// Dir is one Terraform working directory.
type Dir struct {
	// Path is the working directory.
	Path string
	// Terraform is the terraform binary.
	Terraform string
	// Env is the environment of every command.
	Env []string
	// Echo, when set, also receives what each command prints as it runs.
	Echo io.Writer
}

// New prepares a working directory at path (created when missing) whose
// CLI configuration is cliConfig (empty for none); env is added to the
// process environment of every command.
func New(path, terraform, cliConfig string, env ...string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	rc := filepath.Join(path, "terraformrc")
	if err := os.WriteFile(rc, []byte(cliConfig), 0o600); err != nil {
		return nil, err
	}
	base := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return &Dir{Path: path, Terraform: terraform, Env: append(base, env...)}, nil
}

// DevOverrides is a CLI configuration that takes the provider source from
// the binary in providerDir instead of a registry.
func DevOverrides(source, providerDir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", source, providerDir)
}

// Write writes a file into the working directory.
func (d *Dir) Write(name, content string) error {
	return os.WriteFile(filepath.Join(d.Path, name), []byte(content), 0o600)
}

// Result is what one command did.
type Result struct {
	Code   int
	Output string
	Took   time.Duration
	// CPU is the user and system time of the terraform process itself
	// (providers it attaches to are other processes).
	CPU time.Duration
}

// Run runs terraform with args, -no-color, and -input=false for the
// commands that would prompt; extraEnv is added for this command only. The
// error is set only when terraform could not be run at all: a non-zero
// exit is in Result.Code.
func (d *Dir) Run(extraEnv []string, args ...string) (Result, error) {
	flags := []string{"-no-color"}
	switch args[0] {
	case "init", "plan", "apply", "destroy", "import", "refresh":
		flags = append(flags, "-input=false")
	}
	// Flags go right after the command (after the subcommand of state):
	// import and state rm take positional arguments last.
	command := args[:1]
	if args[0] == "state" && len(args) > 1 {
		command = args[:2]
	}
	cmd := exec.Command(d.Terraform, append(append(slices.Clone(command), flags...), args[len(command):]...)...)
	cmd.Dir = d.Path
	cmd.Env = append(append([]string(nil), d.Env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if d.Echo != nil {
		cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, d.Echo), io.MultiWriter(&out, d.Echo)
	}
	start := time.Now()
	err := cmd.Run()
	res := Result{Output: out.String(), Took: time.Since(start)}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return res, fmt.Errorf("running terraform %s: %w", args[0], err)
	}
	res.Code = cmd.ProcessState.ExitCode()
	res.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res, nil
}

// Want turns an unexpected exit code into an error that ends with the
// command's last output.
func (r Result) Want(code int, args ...string) error {
	if r.Code == code {
		return nil
	}
	tail := r.Output
	if len(tail) > 3000 {
		tail = tail[len(tail)-3000:]
	}
	return fmt.Errorf("terraform %v exited %d, want %d:\n%s", args, r.Code, code, tail)
}
