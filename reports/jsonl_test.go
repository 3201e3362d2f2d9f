package reports_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
)

func TestStreamSurvivesACutLineAndResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	s, err := reports.CreateStream(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range []string{"a.html", "b.html"} {
		if err := s.Append(audit.PageResult{URL: u, Index: i, Findings: []audit.Finding{}}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// A kill during the third write leaves half a line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"url":"c.html","ind`)
	f.Close()

	s, done, err := reports.ResumeStream(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || done[1].URL != "b.html" {
		t.Fatalf("resumed with %+v, want a.html and b.html", done)
	}
	if err := s.Append(audit.PageResult{URL: "c.html", Index: 2}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	data, _ := os.ReadFile(path)
	pages, err := reports.ReadStream(bytes.NewReader(data))
	if err != nil || len(pages) != 3 || strings.Count(string(data), "c.html") != 1 {
		t.Errorf("after resuming: %d pages, %v, file:\n%s", len(pages), err, data)
	}
	if _, err := reports.ReadStream(strings.NewReader("{\"url\":\"a\"}\nnot json\n{}\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a bad line in the middle: %v", err)
	}
}

func TestReadResultsTakesReportsAndStreams(t *testing.T) {
	dir := t.TempDir()
	rep := readReport(t)
	var js, jl bytes.Buffer
	if err := (reports.JSON{}).Write(&js, rep); err != nil {
		t.Fatal(err)
	}
	if err := (reports.JSONL{}).Write(&jl, rep); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"r.json": js.Bytes(), "r.jsonl": jl.Bytes()} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, data, 0o644)
		got, err := reports.ReadResults(path)
		if err != nil || len(got.Pages) != len(rep.Pages) || got.Pages[0].Findings[1].Fingerprint != rep.Pages[0].Findings[1].Fingerprint {
			t.Errorf("%s: %v pages, %v", name, len(got.Pages), err)
		}
	}
}
