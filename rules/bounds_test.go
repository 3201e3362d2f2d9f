package rules_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
	"github.com/newsa11y/newsa11y/internal/sitegen"
	"github.com/newsa11y/newsa11y/internal/testtime"
	"github.com/newsa11y/newsa11y/rules"
)

// TestRulesOnHugeTextsInBoundedTime runs every rule and summary over the
// issue's pages, parsed without a browser: a title of 80,000 characters
// with an h1 of other words (the title and headline comparisons), and
// images sharing an alt text and a caption of a megabyte (the caption
// comparisons). Their time must grow with the text, not with its square.
func TestRulesOnHugeTextsInBoundedTime(t *testing.T) {
	testtime.Log(t)
	title := sitegen.Words(80_000, "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf")
	h1 := sitegen.Words(80_000, "north", "south", "east", "west", "river", "valley", "harbour")
	alt := sitegen.Words(1<<20, "crowds", "gather", "outside", "the", "parliament", "in", "Kyiv")
	var imgs strings.Builder
	for i := range 3 {
		fmt.Fprintf(&imgs, `<figure><img src="/p%d.jpg" alt="%s"><figcaption>%s</figcaption></figure>`, i, alt, alt)
	}
	for _, tc := range []struct{ name, html string }{
		{"long title", `<title>` + title + `</title><main><h1>` + h1 + `</h1><p>The story.</p></main>`},
		{"long alt text", `<title>Storm</title><main><h1>Storm</h1>` + imgs.String() + `</main>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := static.Parse(strings.NewReader(tc.html), "https://news.example/story")
			if err != nil {
				t.Fatal(err)
			}
			bound := testtime.Bound(5 * time.Second)
			ctx, cancel := context.WithTimeout(context.Background(), bound)
			defer cancel()
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, _, _, err := audit.CheckPageContext(ctx, p, rules.All())
				var res audit.PageResult
				for _, s := range rules.Summarizers() {
					s(p, &res)
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("rules stopped by their context after %s: %v", time.Since(start), err)
				}
				t.Logf("rules and summaries took %s", time.Since(start).Round(time.Millisecond))
			case <-time.After(bound + time.Second):
				t.Fatalf("rules and summaries did not finish within %s", bound)
			}
		})
	}
}
