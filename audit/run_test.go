package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

// fakeLoader serves fixed HTML per URL, or an error, and records calls.
type fakeLoader struct {
	mu    sync.Mutex
	pages map[string]string
	errs  map[string]error
	calls []string
}

func (f *fakeLoader) Load(_ context.Context, t audit.Target, _ audit.Capability) (*audit.Page, error) {
	f.mu.Lock()
	f.calls = append(f.calls, t.URL)
	f.mu.Unlock()
	if err := f.errs[t.URL]; err != nil {
		return nil, err
	}
	return static.Parse(strings.NewReader(f.pages[t.URL]), t.URL)
}

var doc = audit.Doc{Summary: "s", Fix: "f", Bad: "b", Good: "g"}

// imgRule reports every img.
var imgRule = &audit.Rule{
	ID: "test-img", Title: "test", Doc: doc, Tags: []string{"images"}, WCAG: []string{"1.1.1"},
	Severity: audit.Serious, Needs: audit.CapDOM,
	Check: func(p *audit.Pass) error {
		for _, id := range p.Page.ElementsByTag("img") {
			p.Reportf(id, "img %s", p.Page.Node(id).AttrOr("src", ""))
		}
		return nil
	},
}

func TestRunnerKeepsOrderAndRecordsFailures(t *testing.T) {
	panics := &audit.Rule{
		ID: "test-panic", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		// A write to a nil map: a rule's bug that panics in the runtime.
		//lint:ignore SA5000 the rule must panic the way a buggy rule does
		Check: func(*audit.Pass) error { var m map[string]int; m["boom"]++; return nil },
	}
	fails := &audit.Rule{
		ID: "test-error", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(*audit.Pass) error { return errors.New("cannot decide") },
	}
	needsAX := &audit.Rule{
		ID: "test-ax", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM | audit.CapAX,
		Check: func(p *audit.Pass) error { p.ReportPage("never"); return nil },
	}
	l := &fakeLoader{
		pages: map[string]string{
			"u1": `<img src="b.jpg"><img id="first" src="a.jpg">`,
			"u3": `<p>no images</p>`,
		},
		errs: map[string]error{"u2": &audit.LoadError{URL: "u2", Cause: audit.CauseHTTPStatus, Err: &audit.StatusError{Status: 404, Text: "Not Found"}}},
	}
	var streamed []int
	r := &audit.Runner{
		Loader: l, Rules: []*audit.Rule{imgRule, panics, fails, needsAX}, Concurrency: 3,
		OnPage: func(i int, _ audit.PageResult) { streamed = append(streamed, i) },
	}
	rep := r.Run(context.Background(), []audit.Target{
		{Input: "one", URL: "u1"}, {Input: "two", URL: "u2"}, {Input: "three", URL: "u3"},
		{Input: "missing.html", Err: &audit.LoadError{URL: "missing.html", Cause: audit.CauseInput, Err: errors.New("no such file")}},
	})
	if len(rep.Pages) != 4 || len(streamed) != 4 || len(l.calls) != 3 {
		t.Fatalf("pages %d, streamed %d, loads %d; want 4, 4, 3", len(rep.Pages), len(streamed), len(l.calls))
	}
	p1 := rep.Pages[0]
	if p1.URL != "one" || len(p1.Findings) != 2 || p1.Findings[0].Message != "img b.jpg" || p1.Findings[1].Selector != "#first" {
		t.Errorf("page one findings = %+v", p1.Findings)
	}
	if f := p1.Findings[0]; f.Severity != audit.Serious || f.Help != "f" || len(f.WCAG) != 1 || f.Snippet != `<img src="b.jpg">` {
		t.Errorf("finding not filled in: %+v", f)
	}
	if len(p1.RuleErrors) != 2 || !strings.Contains(p1.RuleErrors[0].Error, "panic") || !strings.Contains(p1.RuleErrors[1].Error, "cannot decide") {
		t.Errorf("rule errors = %+v", p1.RuleErrors)
	}
	// The panic is located in the rule, past the runtime's own frames.
	if len(p1.RuleErrors) > 0 && !strings.Contains(p1.RuleErrors[0].Error, "(at run_test.go:") {
		t.Errorf("panic site not in the rule: %s", p1.RuleErrors[0].Error)
	}
	if len(p1.Skipped) != 1 || p1.Skipped[0].Rule != "test-ax" || !strings.Contains(p1.Skipped[0].Reason, "accessibility tree") {
		t.Errorf("skipped = %+v", p1.Skipped)
	}
	p2 := rep.Pages[1]
	if !p2.Failed() || p2.ErrorCause != "http-status" || p2.Status != 404 || len(p2.Findings) != 0 {
		t.Errorf("failed page = %+v", p2)
	}
	if p4 := rep.Pages[3]; p4.ErrorCause != "input" || !strings.Contains(p4.Error, "no such file") {
		t.Errorf("unresolved input = %+v", p4)
	}
	if len(rep.Rules) != 4 || rep.SchemaVersion != 1 {
		t.Errorf("report metadata: %d rules, schema %d", len(rep.Rules), rep.SchemaVersion)
	}
}

func TestRunnerStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := &fakeLoader{pages: map[string]string{"u": "<p>x</p>"}}
	rep := (&audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}}).Run(ctx, []audit.Target{{Input: "u", URL: "u"}})
	if !rep.Pages[0].Failed() || len(l.calls) != 0 {
		t.Errorf("cancelled run: page %+v, loads %d", rep.Pages[0], len(l.calls))
	}
}

func TestValidate(t *testing.T) {
	good := *imgRule
	bad := []struct {
		name string
		edit func(r *audit.Rule)
		want string
	}{
		{"id", func(r *audit.Rule) { r.ID = "Bad_ID" }, "kebab-case"},
		{"title period", func(r *audit.Rule) { r.Title = "ends." }, "period"},
		{"title capital", func(r *audit.Rule) { r.Title = "Capital" }, "capital"},
		{"doc", func(r *audit.Rule) { r.Doc.Bad = "" }, "bad and a good"},
		{"wcag", func(r *audit.Rule) { r.WCAG = []string{"1.1"} }, "malformed"},
		{"no wcag", func(r *audit.Rule) { r.WCAG = nil }, "best-practice"},
		{"needs", func(r *audit.Rule) { r.Needs = audit.CapAX }, "dom"},
		{"check", func(r *audit.Rule) { r.Check = nil }, "no check"},
	}
	if err := audit.Validate([]*audit.Rule{&good}); err != nil {
		t.Fatalf("good rule: %v", err)
	}
	for _, b := range bad {
		r := good
		b.edit(&r)
		if err := audit.Validate([]*audit.Rule{&r}); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: err = %v, want it to mention %q", b.name, err, b.want)
		}
	}
	dup := good
	if err := audit.Validate([]*audit.Rule{&good, &dup}); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate ids: err = %v", err)
	}
}

func ExampleCheckPage() {
	p, _ := static.Parse(strings.NewReader(`<main id="content"><img src="/a.jpg"></main>`), "http://example.test/")
	findings, _, _ := audit.CheckPage(p, []*audit.Rule{imgRule})
	for _, f := range findings {
		fmt.Println(f.Rule, f.Selector, f.Message)
	}
	// Output: test-img #content > img img /a.jpg
}

// keeperLoader is a fakeLoader that keeps pages open and draws fake
// thumbnails.
type keeperLoader struct {
	fakeLoader
	shots, closed int
}

type fakeOpen struct{ k *keeperLoader }

func (o fakeOpen) Thumbnail(_ context.Context, id audit.NodeID) (string, error) {
	o.k.shots++
	return fmt.Sprintf("data:image/jpeg;base64,node%d", id), nil
}

func (o fakeOpen) Close() { o.k.closed++ }

func (k *keeperLoader) LoadOpen(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, audit.OpenPage, error) {
	p, err := k.Load(ctx, t, needs)
	if err != nil {
		return nil, nil, err
	}
	return p, fakeOpen{k}, nil
}

func TestRunnerTakesRequestedThumbnailsAndSummarizes(t *testing.T) {
	photo := &audit.Rule{
		ID: "test-photo", Title: "test", Doc: doc, Tags: []string{"images"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error {
			for _, id := range p.Page.ElementsByTag("img") {
				p.Report(id, "photo", audit.WithThumbnail())
				p.Report(id, "same photo again", audit.WithThumbnail())
			}
			return nil
		},
	}
	k := &keeperLoader{fakeLoader: fakeLoader{pages: map[string]string{"u": `<img src="a.jpg"><p>x</p>`}}}
	var summarized string
	r := &audit.Runner{Loader: k, Rules: []*audit.Rule{photo, imgRule}, Summarizers: []audit.Summarizer{
		func(p *audit.Page, res *audit.PageResult) { summarized = p.URL + " " + res.URL },
	}}
	rep := r.Run(context.Background(), []audit.Target{{Input: "given", URL: "u"}})
	fs := rep.Pages[0].Findings
	if len(fs) != 3 || k.shots != 1 || k.closed != 1 {
		t.Fatalf("%d findings, %d shots, %d closes; want 3, 1, 1", len(fs), k.shots, k.closed)
	}
	for _, f := range fs {
		if want := f.Rule == "test-photo"; (f.Thumbnail != "") != want {
			t.Errorf("%s %q: thumbnail %q", f.Rule, f.Message, f.Thumbnail)
		}
	}
	if summarized != "u given" {
		t.Errorf("summarizer saw %q", summarized)
	}
}

// flakyLoader fails each URL's first load with the given cause.
type flakyLoader struct {
	fakeLoader
	cause audit.LoadCause
	tries map[string]int
}

func (f *flakyLoader) Load(ctx context.Context, t audit.Target, needs audit.Capability) (*audit.Page, error) {
	f.tries[t.URL]++
	if f.tries[t.URL] == 1 {
		return nil, &audit.LoadError{URL: t.URL, Cause: f.cause, Err: errors.New("first try fails")}
	}
	return f.fakeLoader.Load(ctx, t, needs)
}

func TestRunnerRetriesTransientFailures(t *testing.T) {
	for _, c := range []struct {
		cause audit.LoadCause
		pass  bool
	}{{audit.CauseNetwork, true}, {audit.CauseCrash, true}, {audit.CauseHTTPStatus, false}, {audit.CauseTimeout, false}} {
		l := &flakyLoader{fakeLoader: fakeLoader{pages: map[string]string{"u": "<p>x</p>"}}, cause: c.cause, tries: map[string]int{}}
		rep := (&audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}, Retries: 1}).Run(context.Background(), []audit.Target{{Input: "u", URL: "u", Index: 7}})
		p := rep.Pages[0]
		if p.Failed() == c.pass {
			t.Errorf("%s: failed %v after %d tries", c.cause, p.Failed(), l.tries["u"])
		}
		if c.pass && (len(p.Retries) != 1 || !strings.Contains(p.Retries[0], "first try fails")) {
			t.Errorf("%s: retries recorded %q", c.cause, p.Retries)
		}
		if p.Index != 7 {
			t.Errorf("index %d, want the target's 7", p.Index)
		}
	}
}
