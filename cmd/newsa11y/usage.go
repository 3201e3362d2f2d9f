package main

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/urfave/cli/v2"
)

// The messages of the flag parser (Go's flag package, through the CLI
// library) and of the library's environment reading, which explainFlagError
// rewrites.
var (
	reUndefined  = regexp.MustCompile(`^flag provided but not defined: -+(\S+)$`)
	reNeedsValue = regexp.MustCompile(`^flag needs an argument: -+(\S+)$`)
	reBadValue   = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -+(\S+): `)
	reBadEnv     = regexp.MustCompile(`^could not parse "(.*)" as \S+ value from (?:env var|environment variable) "(\S+)" for flag (\S+): `)
)

// explainFlagError turns the flag parser's terse messages into one line
// that names the input (the flag, or the environment variable and its
// flag), what was wrong with it and what is expected; an unknown flag
// points to the help of the command it was given to (audit for flags
// given before any command). Other errors are returned as they are.
func explainFlagError(err error, command string) error {
	if command == "" || command == "newsa11y" {
		command = "audit"
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("unknown flag %s; \"newsa11y help %s\" lists the flags", dashed(m[1]), command)
	}
	if m := reNeedsValue.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s needs a value: %s", dashed(m[1]), expected(canonicalFlag(m[1])))
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s %q: %s", dashed(m[2]), m[1], expected(canonicalFlag(m[2])))
	}
	if m := reBadEnv.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s %q: %s", m[2], m[1], expected(m[3]))
	}
	return err
}

// dashed writes a flag name as the user types it: -q, --timeout.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// canonicalFlag returns the long name of a flag given by a short alias.
func canonicalFlag(name string) string {
	for _, f := range allFlags() {
		names := f.Names()
		for _, n := range names[1:] {
			if n == name {
				return names[0]
			}
		}
	}
	return name
}

// expected says what a flag takes, from its kind.
func expected(name string) string {
	for _, f := range allFlags() {
		if f.Names()[0] != name {
			continue
		}
		switch f.(type) {
		case *cli.IntFlag:
			return "want a whole number"
		case *cli.DurationFlag:
			return "want a duration with a unit, such as 30s, 2m or 1m30s"
		case *cli.BoolFlag:
			return "want true or false (or the flag alone)"
		}
	}
	return "see \"newsa11y help\" for what it takes"
}

// allFlags are the flags of every command.
func allFlags() []cli.Flag {
	return append(append(outputFlags(), auditFlags()...), fromFlag())
}
