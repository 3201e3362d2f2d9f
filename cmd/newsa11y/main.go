// Command newsa11y audits news article pages for what blind and keyboard
// users meet most often: skip links that do not work, photo alt text that
// repeats the caption, and broken heading structure. It loads each page in
// headless Chromium, runs its rules over one snapshot of the page, and writes
// reports for developers, CI pipelines and editors.
//
// Exit codes follow pa11y's convention: 0 when no violation reaches the
// --fail-on gate, 2 when one does, 1 when the tool could not do its job
// (no browser, a page that failed to load, unreadable input, a bad flag).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// Exit codes.
const (
	// ExitOK means no violation reached the gate.
	ExitOK = 0
	// ExitFault means the tool could not do its job.
	ExitFault = 1
	// ExitViolations means violations reached the gate.
	ExitViolations = 2
	// ExitInterrupted means the run was interrupted (Ctrl-C).
	ExitInterrupted = 130
)

// version is set at build time with -ldflags "-X main.version=…";
// otherwise toolVersion reads it from the build.
var version = ""

// toolVersion is the version of this build: the -ldflags version when
// set; else the module version Go recorded (a "go install …@v1.2.3"
// build, or in a clone one Go makes from the tag or commit); else the
// VCS revision the binary was built from, its first 12 hex digits, with
// "-dirty" when the working tree had changes; else "dev" (a build outside
// a repository, or with -buildvcs=false).
func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionFrom(bi)
}

// versionFrom reads the version from build information (see toolVersion).
func versionFrom(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return rev
}

func main() {
	limitMemory()
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// softMemoryLimit is the heap size past which the garbage collector works
// harder. The browser's replies for a very large page (a DOM snapshot and
// an accessibility tree of tens of megabytes each) leave as much garbage
// as they hold live data; by default the heap could grow to twice the
// live size before a collection. Audits of ordinary pages stay far below.
const softMemoryLimit = 192 << 20

// limitMemory sets softMemoryLimit, unless GOMEMLIMIT sets a limit of its
// own.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
	// quiet keeps the message off standard error: it is the verdict the
	// reports already state.
	quiet bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// fault returns an error that exits 1 with the message.
func fault(format string, args ...any) error {
	return &exitError{code: ExitFault, err: fmt.Errorf(format, args...)}
}

// run runs the program and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := &cli.App{
		Name:      "newsa11y",
		Usage:     "accessibility auditor for news article pages",
		Version:   toolVersion(),
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		Commands: []*cli.Command{
			auditCommand(stdin, stdout, stderr),
			demoCommand(stdin, stdout, stderr),
			versionCommand(stdout),
			reportCommand(stdout, stderr),
			mergeCommand(stdout, stderr),
			historyCommand(stdout),
			rulesCommand(stdout),
		},
		// Errors are turned into exit codes below, not by the library.
		ExitErrHandler: func(*cli.Context, error) {},
		// A usage error is one line on stderr; help only on request.
		OnUsageError: usageError,
		// A --report value may hold a comma in its path.
		DisableSliceFlagSeparator: true,
	}
	commandLine = args
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageError
	}
	err := app.Run(args)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && !ee.quiet {
			fmt.Fprintln(stderr, "newsa11y:", safeLines(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "newsa11y:", safeLines(explainFlagError(err, "").Error()))
	return ExitFault
}

// usageError is the library's usage error (an unknown flag, a value it
// could not parse) as one line, without the help the library would print.
func usageError(c *cli.Context, err error, _ bool) error {
	command := ""
	if c != nil && c.Command != nil {
		command = c.Command.Name
	}
	return &exitError{code: ExitFault, err: explainFlagError(err, command)}
}

// versionCommand prints the version, as --version does.
func versionCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version of this build",
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fault("version takes no arguments")
			}
			fmt.Fprintln(stdout, "newsa11y version", toolVersion())
			return nil
		},
	}
}

// safeLines makes an error message safe for a terminal, line by line, so
// that what a page or a remote file put in it cannot send escapes (see
// termsafe.String), while joined errors keep a line each.
func safeLines(s string) string {
	lines := strings.Split(audit.Redact(s), "\n")
	for i, l := range lines {
		lines[i] = termsafe.String(l)
	}
	return strings.Join(lines, "\n")
}

// safeLine makes one line of page-derived or user text safe for a
// terminal and free of secrets: every line printed to standard error
// goes through it or safeLines.
func safeLine(s string) string { return termsafe.String(audit.Redact(s)) }
