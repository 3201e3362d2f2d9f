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
// time, over the pages that were audited; beside them the median CPU
// time of the step in newsa11y's process and in the page's renderer, and
// for the steps that count them (the keyboard walk) the DevTools protocol
// round trips per page; and the process's CPU time over the whole run
// (cpu, from ProcessCPU at the run's start).
func printProfile(w io.Writer, rep *audit.Report, wall time.Duration, cpu time.Duration) {
	steps := map[string][]audit.StepTime{}
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
			steps[st.Step] = append(steps[st.Step], st)
			if st.RoundTrips > 0 {
				trips[st.Step] = append(trips[st.Step], float64(st.RoundTrips))
			}
			sum += st.MS
		}
	}
	if pages == 0 {
		return
	}
	fmt.Fprintf(w, "newsa11y: where the time went, over %d pages (%s wall, %.0f ms of page time per page on average; newsa11y's process used %s of CPU):\n",
		pages, wall.Round(time.Millisecond), sum/float64(pages), cpu.Round(time.Millisecond))
	fmt.Fprintf(w, "  %-10s %9s %9s %7s %11s %11s\n", "step", "median", "p90", "share", "cpu median", "browser cpu")
	for _, step := range order {
		var wallMS, cpuMS, browserMS []float64
		var total float64
		for _, st := range steps[step] {
			wallMS, cpuMS, browserMS = append(wallMS, st.MS), append(cpuMS, st.CPUMS), append(browserMS, st.BrowserCPUMS)
			total += st.MS
		}
		fmt.Fprintf(w, "  %-10s %7.0fms %7.0fms %6.1f%% %9.0fms %9.0fms", step,
			quantile(padded(wallMS, pages), 0.5), quantile(padded(wallMS, pages), 0.9), 100*total/sum,
			quantile(padded(cpuMS, pages), 0.5), quantile(padded(browserMS, pages), 0.5))
		if n := slices.Sorted(slices.Values(trips[step])); len(n) > 0 {
			// Round trips to the browser, over the pages that counted them.
			fmt.Fprintf(w, "  round trips: median %.0f, p90 %.0f", quantile(n, 0.5), quantile(n, 0.9))
		}
		fmt.Fprintln(w)
	}
}

// padded sorts values and counts a step a page skipped as zero for it.
func padded(v []float64, pages int) []float64 {
	v = slices.Clone(v)
	for len(v) < pages {
		v = append(v, 0)
	}
	slices.Sort(v)
	return v
}

// quantile returns the q-quantile of sorted values (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted)-1) + 0.5)
	return sorted[i]
}
