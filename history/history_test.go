package history

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// nightStarts are the start times the recorded nights are given: three
// nightly runs at 02:00 UTC.
var nightStarts = []time.Time{
	time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC),
	time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC),
	time.Date(2026, 11, 4, 2, 0, 0, 0, time.UTC),
}

// readNight reads the JSON report newsa11y wrote of night n's pages
// (testdata/runs/night-N.json, recorded from testdata/nights/N: see
// testdata/README.md).
func readNight(t *testing.T, n int) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "runs", "night-"+string(rune('0'+n))+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("night %d: %v", n, err)
	}
	return &rep
}

// nightIdentity is a recorded page's canonical identity: its path within
// the night's folder, which newsa11y served it from ("1/world/a.html" is
// "world/a.html").
func nightIdentity(input string) string {
	_, rest, _ := strings.Cut(filepath.ToSlash(input), "/")
	return rest
}

// recordOf turns a recorded report into the record Build reads, as the
// store would give it back.
func recordOf(id string, started time.Time, rep *audit.Report) RunRecord {
	r := RunRecord{ID: id, Started: started}
	for _, p := range rep.Pages {
		pr := PageRecord{URL: p.URL, Page: nightIdentity(p.URL), Site: p.Site, Failed: p.Failed()}
		for _, f := range p.Findings {
			pr.Findings = append(pr.Findings, FindingRecord{
				Fingerprint: f.Fingerprint, Rule: f.Rule, Outcome: f.Outcome, Severity: f.Severity,
				Region: f.Region, Key: f.Key, Selector: f.Selector, Message: f.Message,
			})
		}
		r.Pages = append(r.Pages, pr)
	}
	return r
}

// nights returns the three recorded nights as records.
func nights(t *testing.T) ([]RunRecord, map[string]audit.RuleInfo) {
	t.Helper()
	var runs []RunRecord
	rules := map[string]audit.RuleInfo{}
	for n := 1; n <= 3; n++ {
		rep := readNight(t, n)
		runs = append(runs, recordOf("night-"+string(rune('0'+n)), nightStarts[n-1], rep))
		for _, ri := range rep.Rules {
			rules[ri.ID] = ri
		}
	}
	return runs, rules
}

// golden compares got with testdata/golden-NAME, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden-"+name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./history -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./history -update and review the diff\ngot:\n%s", name, got)
	}
}

func TestWritersGolden(t *testing.T) {
	runs, rules := nights(t)
	rep, err := Build(runs, Options{Rules: rules, Tool: audit.Tool{Name: "newsa11y", Version: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range Formats() {
		w, err := ForFormat(format)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w.Write(&b, rep); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var again bytes.Buffer
		if err := w.Write(&again, rep); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Errorf("%s: two writes of one history differ", format)
		}
		ext := map[string]string{"text": "txt"}[format]
		if ext == "" {
			ext = format
		}
		golden(t, "history."+ext, b.Bytes())
	}
}
