package audit_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

// viewportLoader serves different HTML per viewport label and records the
// viewports it was asked for.
type viewportLoader struct {
	mu    sync.Mutex
	pages map[string]string // by viewport label
	fail  map[string]error
	seen  []audit.Viewport
}

func (l *viewportLoader) Load(_ context.Context, t audit.Target, _ audit.Capability) (*audit.Page, error) {
	l.mu.Lock()
	l.seen = append(l.seen, t.Viewport)
	l.mu.Unlock()
	if err := l.fail[t.Viewport.Label()]; err != nil {
		return nil, err
	}
	p, err := static.Parse(strings.NewReader(l.pages[t.Viewport.Label()]), t.URL)
	if p != nil {
		p.Viewport = t.Viewport
		p.Hidden = []audit.HiddenSelector{{Selector: ".cmp", Count: 1}}
	}
	return p, err
}

// walkNamer records, as the skip-link summarizer does, one walk summary
// per viewport.
func walkNamer(p *audit.Page, r *audit.PageResult) {
	r.Walks = append(r.Walks, audit.WalkSummary{Viewport: p.Viewport.String()})
}

var desktop = audit.Viewport{Width: 1280, Height: 800}

// seenAtRule reports the first img with a message that names the
// viewport, so the same element gets different findings per viewport.
var seenAtRule = &audit.Rule{
	ID: "test-seen-at", Title: "test", Doc: doc, Tags: []string{"images"}, WCAG: []string{"1.1.1"},
	Severity: audit.Minor, Needs: audit.CapDOM,
	Check: func(p *audit.Pass) error {
		p.Reportf(p.Page.ElementByID(0, "a"), "seen at %s", p.Page.Viewport.Label())
		return nil
	},
}

func TestRunnerMergesViewports(t *testing.T) {
	l := &viewportLoader{pages: map[string]string{
		"desktop": `<img id="a" src="a.jpg"><img id="b" src="b.jpg">`,
		"mobile":  `<img id="z" src="z.jpg"><img id="a" src="a.jpg"><img id="m" src="m.jpg"><img id="b" src="b.jpg">`,
	}}
	r := &audit.Runner{
		Loader: l, Rules: []*audit.Rule{imgRule, seenAtRule}, Summarizers: []audit.Summarizer{walkNamer},
		Viewports: []audit.Viewport{desktop, audit.MobileViewport},
	}
	rep := r.Run(context.Background(), []audit.Target{{Input: "one", URL: "http://x.test/story"}})
	if len(l.seen) != 2 || l.seen[0] != desktop || l.seen[1] != audit.MobileViewport {
		t.Fatalf("loader saw viewports %+v", l.seen)
	}
	p := rep.Pages[0]
	var got []string
	for _, f := range p.Findings {
		got = append(got, f.Rule+" "+f.Selector+" "+strings.Join(f.Viewports, "+"))
	}
	want := []string{
		"test-img #z mobile",
		"test-img #a desktop+mobile", "test-seen-at #a desktop", "test-seen-at #a mobile",
		"test-img #m mobile", "test-img #b desktop+mobile",
	}
	if !slices.Equal(got, want) {
		t.Errorf("merged findings = %q, want %q", got, want)
	}
	fps := map[string]bool{}
	for _, f := range p.Findings {
		if fps[f.Fingerprint] {
			t.Errorf("fingerprint %s repeats", f.Fingerprint)
		}
		fps[f.Fingerprint] = true
	}
	if len(p.Walks) != 2 || p.Walks[0].Viewport != "desktop 1280x800" || p.Walks[1].Viewport != "mobile 390x844" {
		t.Errorf("walks = %+v", p.Walks)
	}
	if len(p.Hidden) != 1 || p.Hidden[0].Selector != ".cmp" {
		t.Errorf("hidden elements = %+v", p.Hidden)
	}
}

func TestRunnerOneViewportAddsNoLabels(t *testing.T) {
	l := &viewportLoader{pages: map[string]string{"desktop": `<img id="a" src="a.jpg">`}}
	r := &audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}, Viewports: []audit.Viewport{desktop}}
	rep := r.Run(context.Background(), []audit.Target{{Input: "one", URL: "u"}})
	if f := rep.Pages[0].Findings; len(f) != 1 || f[0].Viewports != nil {
		t.Errorf("findings = %+v", f)
	}
	if len(l.seen) != 1 || l.seen[0] != desktop {
		t.Errorf("loader saw %+v", l.seen)
	}
}

func TestRunnerFailsPageWhenAViewportFails(t *testing.T) {
	l := &viewportLoader{
		pages: map[string]string{"desktop": `<img id="a" src="a.jpg">`},
		fail:  map[string]error{"mobile": &audit.LoadError{URL: "u", Cause: audit.CauseTimeout, Err: errors.New("no response")}},
	}
	r := &audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}, Viewports: []audit.Viewport{desktop, audit.MobileViewport}}
	p := r.Run(context.Background(), []audit.Target{{Input: "one", URL: "u"}}).Pages[0]
	if !p.Failed() || p.ErrorCause != "timeout" || !strings.HasPrefix(p.Error, "at mobile 390x844: ") || len(p.Findings) != 0 {
		t.Errorf("page = %+v; want failed at mobile with no findings", p)
	}
	// A page that fails at the first viewport is not loaded again.
	l = &viewportLoader{fail: map[string]error{"desktop": errors.New("boom")}}
	r.Loader = l
	p = r.Run(context.Background(), []audit.Target{{Input: "one", URL: "u"}}).Pages[0]
	if !p.Failed() || len(l.seen) != 1 {
		t.Errorf("page %+v after %d loads; want failed after 1", p, len(l.seen))
	}
}
