package reports

import (
	"encoding/json"
	"io"

	"github.com/newsa11y/newsa11y/audit"
)

// JSON writes the report as the versioned JSON contract documented in the
// README, indented, with a trailing newline.
type JSON struct{}

var _ Writer = JSON{}

// Write writes r as JSON.
func (JSON) Write(w io.Writer, r *audit.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
