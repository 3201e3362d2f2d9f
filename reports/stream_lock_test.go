//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package reports_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
)

// TestStreamIsHeldExclusively: a stream being written cannot be created
// or resumed again until it is closed, and the refusal leaves it whole.
func TestStreamIsHeldExclusively(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	first, err := reports.CreateStream(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Append(audit.PageResult{URL: "one", Findings: []audit.Finding{}}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := reports.CreateStream(path); !errors.Is(err, reports.ErrStreamInUse) {
		t.Errorf("CreateStream of a stream in use: %v, want ErrStreamInUse", err)
	}
	if _, _, err := reports.ResumeStream(path); !errors.Is(err, reports.ErrStreamInUse) {
		t.Errorf("ResumeStream of a stream in use: %v, want ErrStreamInUse", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("a refused open changed the stream: %q, was %q", after, before)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, pages, err := reports.ResumeStream(path)
	if err != nil || len(pages) != 1 {
		t.Fatalf("ResumeStream once closed: %d pages, %v", len(pages), err)
	}
	again.Close()
}
