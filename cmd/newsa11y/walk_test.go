package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMobileAndHideElements(t *testing.T) {
	needChrome(t)
	out := filepath.Join(t.TempDir(), "out.json")
	r := run(t, "", nil, "audit", "--mobile", "--hide-elements", ".cmp", "--fail-on", "none", "--report", "json="+out, filepath.Join("testdata", "responsive.html"))
	if r.code != 0 {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Pages []struct {
			Findings []struct {
				Rule, Selector string
				Viewports      []string
			}
			Walks []struct {
				Viewport string
				SkipLink int `json:"skip_link"`
			} `json:"keyboard_walks"`
			Hidden []struct {
				Selector string
				Count    int
			} `json:"hidden_elements"`
		}
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Pages[0]
	if len(p.Walks) != 2 || p.Walks[0].Viewport != "desktop 1280x800" || p.Walks[1].Viewport != "mobile 390x844" {
		t.Fatalf("walks = %+v", p.Walks)
	}
	// With the consent banner removed, the skip link is the first tab
	// stop on the desktop; the phone layout has none.
	if p.Walks[0].SkipLink != 1 || p.Walks[1].SkipLink != 0 {
		t.Errorf("skip link positions: desktop %d, mobile %d", p.Walks[0].SkipLink, p.Walks[1].SkipLink)
	}
	if len(p.Hidden) != 1 || p.Hidden[0].Selector != ".cmp" || p.Hidden[0].Count != 1 {
		t.Errorf("hidden = %+v", p.Hidden)
	}
	var focusable []string
	for _, f := range p.Findings {
		if f.Rule == "skip-link-focusable" {
			focusable = append(focusable, f.Selector+" "+strings.Join(f.Viewports, ","))
		}
		if len(f.Viewports) == 0 {
			t.Errorf("finding %s at %s has no viewports", f.Rule, f.Selector)
		}
	}
	if !slices.Equal(focusable, []string{"#skip mobile"}) {
		t.Errorf("skip-link-focusable findings = %q, want the skip link at mobile only", focusable)
	}
}

func TestMobileNeedsTheBrowser(t *testing.T) {
	for _, args := range [][]string{{"--static", "--mobile"}, {"--static", "--hide-elements", ".cmp"}} {
		r := run(t, "", nil, append([]string{"audit"}, append(args, filepath.Join("testdata", "clean.html"))...)...)
		if r.code != 1 || !strings.Contains(r.stderr, "need the browser") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and a reason", args, r.code, r.stderr)
		}
	}
}
