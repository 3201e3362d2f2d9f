package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/sourceline"
)

// CodeQuality writes the report as a GitLab Code Quality report: a JSON
// array of issues in the subset of the Code Climate format GitLab reads
// (description, check_name, fingerprint, severity, location.path and
// location.lines.begin). One issue per finding, and one per page that
// failed to load, so that a page not audited is never absent from the
// merge request widget.
//
// Severities: critical violations are "blocker", serious "critical",
// moderate "major", minor "minor", and findings that need review "info".
// A local file's path is the path as given (relative paths are relative to
// the folder newsa11y ran in, the project's checkout in CI), with the
// element's line (Finding.Line, else 1); a page from the web is its URL,
// at line 1. The fingerprint is a SHA-256 of the page, newsa11y's own
// finding fingerprint and the finding's rank among the page's findings
// that share it, so it is stable across runs and unique within a report,
// as GitLab requires to tell new issues from fixed ones.
type CodeQuality struct{}

var _ Writer = CodeQuality{}

type cqIssue struct {
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    cqLocation `json:"location"`
}

type cqLocation struct {
	Path  string  `json:"path"`
	Lines cqLines `json:"lines"`
}

type cqLines struct {
	Begin int `json:"begin"`
}

// cqSeverity maps a finding to a Code Quality severity.
func cqSeverity(f audit.Finding) string {
	if f.Outcome != audit.Violation {
		return "info"
	}
	switch f.Severity {
	case audit.Critical:
		return "blocker"
	case audit.Serious:
		return "critical"
	case audit.Moderate:
		return "major"
	}
	return "minor"
}

// cqPath returns where a Code Quality issue places a page: a local file's
// path with forward slashes, else the page's URL ("-" for standard input).
func cqPath(pageURL string) string {
	if path, ok := sourceline.LocalPath(pageURL); ok {
		return filepath.ToSlash(filepath.Clean(path))
	}
	return pageURL
}

// cqFingerprint hashes its parts, each ended by a NUL byte.
func cqFingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Write writes r as a Code Quality report.
func (CodeQuality) Write(w io.Writer, r *audit.Report) error {
	issues := []cqIssue{}
	for _, p := range r.Pages {
		path := cqPath(p.URL)
		if p.Failed() {
			issues = append(issues, cqIssue{
				Description: fmt.Sprintf("Page not audited (%s): %s", p.ErrorCause, p.Error),
				CheckName:   "newsa11y/page-not-audited",
				Fingerprint: cqFingerprint(p.URL, "page-not-audited"),
				Severity:    "blocker",
				Location:    cqLocation{Path: path, Lines: cqLines{Begin: 1}},
			})
			continue
		}
		rank := map[string]int{}
		for _, f := range p.Findings {
			key := f.Fingerprint
			if key == "" {
				key = f.Rule + "\x00" + f.Selector
			}
			n := rank[key]
			rank[key]++
			desc := sentence(f.Message)
			if f.Outcome != audit.Violation {
				desc = "Needs review: " + f.Message
			}
			if f.Selector != "" {
				desc += " (" + f.Selector + ")"
			}
			issues = append(issues, cqIssue{
				Description: desc,
				CheckName:   f.Rule,
				Fingerprint: cqFingerprint(p.URL, key, fmt.Sprint(n)),
				Severity:    cqSeverity(f),
				Location:    cqLocation{Path: path, Lines: cqLines{Begin: max(f.Line, 1)}},
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
}
