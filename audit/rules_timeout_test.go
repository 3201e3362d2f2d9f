package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// runWithin runs the runner over the targets and fails the test unless
// the run returns within the bound d, stretched by testtime.
func runWithin(t *testing.T, ctx context.Context, r *audit.Runner, targets []audit.Target, d time.Duration) *audit.Report {
	t.Helper()
	testtime.Log(t)
	done := make(chan *audit.Report, 1)
	start := time.Now()
	go func() { done <- r.Run(ctx, targets) }()
	select {
	case rep := <-done:
		t.Logf("run took %s", time.Since(start).Round(time.Millisecond))
		return rep
	case <-time.After(testtime.Bound(d)):
		t.Fatalf("the run did not return within %s", testtime.Bound(d))
		return nil
	}
}

// stuckPages are a page whose rules overrun (it has #stuck) and one
// audited after it.
var stuckPages = map[string]string{
	"u1": `<div id="stuck"><img src="a.jpg"></div>`,
	"u2": `<img src="b.jpg">`,
}

func stuckTargets() []audit.Target {
	return []audit.Target{{Input: "stuck", URL: "u1"}, {Input: "next", URL: "u2"}}
}

// checkStuckRun checks that the overrunning page failed with
// rules-timeout, naming the rule, and that the next page was audited.
func checkStuckRun(t *testing.T, rep *audit.Report, rule string) {
	t.Helper()
	p := rep.Pages[0]
	if p.ErrorCause != string(audit.CauseRulesTimeout) || !strings.Contains(p.Error, rule) || len(p.Findings) != 0 {
		t.Errorf("overrunning page: cause %q, error %q, %d findings; want rules-timeout naming %s and no findings", p.ErrorCause, p.Error, len(p.Findings), rule)
	}
	if q := rep.Pages[1]; q.Failed() || len(q.Findings) != 1 || q.Findings[0].Message != "img b.jpg" {
		t.Errorf("the page after it: %+v", q)
	}
}

// TestRulesThatIgnoreTheirContextTimeOut: a rule that never returns
// fails its page with rules-timeout once the page's time and the grace
// are spent, and the run goes on with the next page.
func TestRulesThatIgnoreTheirContextTimeOut(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	block := &audit.Rule{
		ID: "test-block", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error {
			if p.Page.ElementByID(0, "stuck") != audit.NoNode {
				<-release
			}
			return nil
		},
	}
	r := &audit.Runner{
		Loader: &fakeLoader{pages: stuckPages}, Rules: []*audit.Rule{imgRule, block},
		Timeout: 300 * time.Millisecond, RulesGrace: 200 * time.Millisecond,
	}
	checkStuckRun(t, runWithin(t, context.Background(), r, stuckTargets(), 3*time.Second), "test-block")
}

// TestRulesSeeTheirContextEnd: a rule that loops until its pass's
// context ends is stopped by the page's deadline; its page fails with
// rules-timeout and the rule itself returns.
func TestRulesSeeTheirContextEnd(t *testing.T) {
	returned := make(chan error, 1)
	spin := &audit.Rule{
		ID: "test-spin", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error {
			if p.Page.ElementByID(0, "stuck") == audit.NoNode {
				return nil
			}
			for p.Err() == nil {
				time.Sleep(time.Millisecond)
			}
			returned <- p.Err()
			return p.Err()
		},
	}
	r := &audit.Runner{
		Loader: &fakeLoader{pages: stuckPages}, Rules: []*audit.Rule{imgRule, spin},
		Timeout: 300 * time.Millisecond, RulesGrace: 200 * time.Millisecond,
	}
	checkStuckRun(t, runWithin(t, context.Background(), r, stuckTargets(), 3*time.Second), "test-spin")
	select {
	case err := <-returned:
		if err == nil {
			t.Error("the rule returned with no error from its context")
		}
	case <-time.After(testtime.Bound(time.Second)):
		t.Error("the rule never saw its context end")
	}
}

// TestInterruptStopsRules: cancelling the run while a page's rules run
// ends the run at once, with the page interrupted, even with the page's
// time far from spent.
func TestInterruptStopsRules(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	started := make(chan struct{}, 1)
	block := &audit.Rule{
		ID: "test-block", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error {
			started <- struct{}{}
			<-release
			return nil
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	r := &audit.Runner{Loader: &fakeLoader{pages: stuckPages}, Rules: []*audit.Rule{block}, Timeout: time.Minute}
	rep := runWithin(t, ctx, r, stuckTargets()[:1], 2*time.Second)
	if p := rep.Pages[0]; p.ErrorCause != string(audit.CauseInterrupted) {
		t.Errorf("interrupted page: cause %q, error %q", p.ErrorCause, p.Error)
	}
}

// TestCheckPageContext: rules run under the context given, and an ended
// context is CheckPageContext's error rather than a rule's.
func TestCheckPageContext(t *testing.T) {
	l := &fakeLoader{pages: stuckPages}
	p, err := l.Load(context.Background(), audit.Target{URL: "u2"}, audit.CapDOM)
	if err != nil {
		t.Fatal(err)
	}
	var seen context.Context
	probe := &audit.Rule{
		ID: "test-probe", Title: "test", Doc: doc, Tags: []string{"x"}, WCAG: []string{"1.1.1"},
		Severity: audit.Minor, Needs: audit.CapDOM,
		Check: func(p *audit.Pass) error { seen = p.Context(); return p.Err() },
	}
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "run")
	fs, _, ruleErrs, err := audit.CheckPageContext(ctx, p, []*audit.Rule{imgRule, probe})
	if err != nil || len(ruleErrs) != 0 || len(fs) != 1 || seen == nil || seen.Value(key{}) != "run" {
		t.Errorf("live context: %d findings, rule errors %v, err %v, the rule's context %v", len(fs), ruleErrs, err, seen)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	fs, _, ruleErrs, err = audit.CheckPageContext(ended, p, []*audit.Rule{imgRule, probe})
	if err == nil || len(ruleErrs) != 0 || len(fs) != 0 {
		t.Errorf("ended context: %d findings, rule errors %v, err %v; want only an error", len(fs), ruleErrs, err)
	}
}
