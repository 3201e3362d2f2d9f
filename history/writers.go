package history

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
)

// A Writer writes a history in one format.
type Writer interface {
	// Write writes the history to w.
	Write(w io.Writer, r *Report) error
}

var writers = map[string]Writer{
	"text": Text{},
	"json": JSON{},
	"html": HTML{},
}

// Formats returns the names of the known formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(writers))
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ForFormat returns the writer of a format name.
func ForFormat(name string) (Writer, error) {
	w, ok := writers[name]
	if !ok {
		return nil, fmt.Errorf("unknown history format %q (known: %v)", name, Formats())
	}
	return w, nil
}

// JSON writes the history as the versioned JSON contract, indented, with
// a trailing newline.
type JSON struct{}

var _ Writer = JSON{}

// Write writes r as JSON.
func (JSON) Write(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// title returns a rule's title from the report, or "".
func (r *Report) title(id string) string {
	i, ok := slices.BinarySearchFunc(r.Rules, id, func(t RuleTitle, id string) int {
		switch {
		case t.ID < id:
			return -1
		case t.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return ""
	}
	return r.Rules[i].Title
}

// plural returns "1 run" or "3 runs".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// stamp formats a run's start for people: "2026-11-05 02:00 UTC".
const stamp = "2006-01-02 15:04 UTC"

// label names a run in the runs table: its id, with its status when it
// did not finish ("nightly-7 (running)").
func (r RunSummary) label() string {
	if r.Status == "" || r.Status == "done" {
		return r.ID
	}
	return r.ID + " (" + r.Status + ")"
}
