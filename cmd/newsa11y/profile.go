package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// printProfile says where a run's time went: for each step of a page's
// audit, the median, the 90th percentile and the share of the summed page
// time, over the pages that were audited; and for the steps that count
// them (the keyboard walk), the DevTools protocol round trips per page.
func printProfile(w io.Writer, rep *audit.Report, wall time.Duration) {
	steps := map[string][]float64{}
	trips := map[string][]float64{}
	var order []string
	var sum float64
	pages := 0
	for _, p := range rep.Pages {
		if p.Failed() || len(p.Timings) == 0 {
			continue
		}
		pages++
		for _, st := range p.Timings {
			if _, ok := steps[st.Step]; !ok {
				order = append(order, st.Step)
			}
			steps[st.Step] = append(steps[st.Step], st.MS)
			if st.RoundTrips > 0 {
				trips[st.Step] = append(trips[st.Step], float64(st.RoundTrips))
			}
			sum += st.MS
		}
	}
	if pages == 0 {
		return
	}
	fmt.Fprintf(w, "newsa11y: where the time went, over %d pages (%s wall, %.0f ms of page time per page on average):\n", pages, wall.Round(time.Millisecond), sum/float64(pages))
	fmt.Fprintf(w, "  %-10s %9s %9s %7s\n", "step", "median", "p90", "share")
	for _, step := range order {
		v := slices.Clone(steps[step])
		slices.Sort(v)
		var total float64
		for _, x := range v {
			total += x
		}
		// A step a page skipped counts as zero for it.
		for len(v) < pages {
			v = append([]float64{0}, v...)
		}
		fmt.Fprintf(w, "  %-10s %7.0fms %7.0fms %6.1f%%", step, quantile(v, 0.5), quantile(v, 0.9), 100*total/sum)
		if n := slices.Sorted(slices.Values(trips[step])); len(n) > 0 {
			// Round trips to the browser, over the pages that counted them.
			fmt.Fprintf(w, "  round trips: median %.0f, p90 %.0f", quantile(n, 0.5), quantile(n, 0.9))
		}
		fmt.Fprintln(w)
	}
}

// quantile returns the q-quantile of sorted values (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)-1) + 0.5)
	return sorted[i]
}
