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

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version, or "dev".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
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
			reportCommand(stdout, stderr),
			mergeCommand(stdout, stderr),
			rulesCommand(stdout),
		},
		// Errors are turned into exit codes below, not by the library.
		ExitErrHandler: func(*cli.Context, error) {},
		// A --report value may hold a comma in its path.
		DisableSliceFlagSeparator: true,
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
	fmt.Fprintln(stderr, "newsa11y:", safeLines(err.Error()))
	return ExitFault
}

// safeLines makes an error message safe for a terminal, line by line, so
// that what a page or a remote file put in it cannot send escapes (see
// termsafe.String), while joined errors keep a line each.
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = termsafe.String(l)
	}
	return strings.Join(lines, "\n")
}
