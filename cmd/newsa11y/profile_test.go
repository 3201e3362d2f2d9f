package main

import (
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// TestProfileShowsWalkRoundTrips checks that --timings gives the keyboard
// walk's round trips per page, over the pages that counted them, and none
// for the steps that do not count them.
func TestProfileShowsWalkRoundTrips(t *testing.T) {
	rep := &audit.Report{}
	for _, trips := range []int{30, 10, 20} {
		rep.Pages = append(rep.Pages, audit.PageResult{Timings: audit.Timings{
			{Step: "load", MS: 100},
			{Step: "walk", MS: 50, RoundTrips: trips},
		}})
	}
	var out strings.Builder
	printProfile(&out, rep, time.Second, time.Second)
	lines := strings.Split(out.String(), "\n")
	var walk, load string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(strings.TrimSpace(l), "walk"):
			walk = l
		case strings.HasPrefix(strings.TrimSpace(l), "load"):
			load = l
		}
	}
	if !strings.HasSuffix(walk, "round trips: median 20, p90 30") {
		t.Errorf("walk line %q, want its round trips", walk)
	}
	if load == "" || strings.Contains(load, "round trips") {
		t.Errorf("load line %q, want no round trips", load)
	}
}
