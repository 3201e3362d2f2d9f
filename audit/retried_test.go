package audit_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

// movingLoader stands for a pool whose browsers die under pages: each
// load of a page is recorded as moved off the browser named by its try,
// and the first try of each viewport fails as a crash.
type movingLoader struct {
	tries map[audit.Viewport]int
}

func (m *movingLoader) Load(_ context.Context, t audit.Target, _ audit.Capability) (*audit.Page, error) {
	m.tries[t.Viewport]++
	moved := []audit.EndpointRetry{{Endpoint: fmt.Sprintf("ws://user:pw@chrome-%s-%d", t.Viewport.Label(), m.tries[t.Viewport]), Error: "the DevTools connection closed"}}
	if m.tries[t.Viewport] == 1 {
		return nil, &audit.LoadError{URL: t.URL, Cause: audit.CauseCrash, Err: errors.New("the last browser died too"), Retried: moved}
	}
	p, err := static.Parse(strings.NewReader("<p>x</p>"), t.URL)
	if err != nil {
		return nil, err
	}
	p.Retried = moved
	return p, nil
}

// TestRunnerKeepsEveryMove records on the result the pool moves of every
// try and every viewport, in order, apart from the runner's own retries,
// with the addresses' user info hidden.
func TestRunnerKeepsEveryMove(t *testing.T) {
	desktop, phone := audit.Viewport{Width: 1280, Height: 800}, audit.MobileViewport
	l := &movingLoader{tries: map[audit.Viewport]int{}}
	r := &audit.Runner{Loader: l, Rules: []*audit.Rule{imgRule}, Retries: 1, Viewports: []audit.Viewport{desktop, phone}}
	p := r.Run(context.Background(), []audit.Target{{Input: "u", URL: "u"}}).Pages[0]
	if !p.Failed() || len(p.Retries) != 1 {
		// The phone's first try fails on the second attempt, after the
		// desktop's retry was used: the page fails.
		t.Errorf("error %q, retries %q: want failed after one retry", p.Error, p.Retries)
	}
	var got []string
	for _, m := range p.Retried {
		got = append(got, m.Endpoint)
	}
	want := []string{"ws://***@chrome-desktop-1", "ws://***@chrome-desktop-2", "ws://***@chrome-mobile-1"}
	if !slices.Equal(got, want) {
		t.Errorf("retried %q, want %q", got, want)
	}
}
