package audit

import "time"

// A StepTime is how long one step of a page's audit took.
type StepTime struct {
	// Step names the step: setup, open, load, settle, scroll, hide, dom, ax,
	// images, walk, rules, thumbnails, summarize.
	Step string `json:"step"`
	// MS is its duration in milliseconds.
	MS float64 `json:"ms"`
}

// Timings records the steps of one page's audit in the order they ran.
// Loaders and the runner append to it; it is reported only when asked
// for (newsa11y audit --timings), since it changes from run to run.
type Timings []StepTime

// Since records a step that started at start.
func (t *Timings) Since(step string, start time.Time) {
	*t = append(*t, StepTime{Step: step, MS: float64(time.Since(start).Microseconds()) / 1000})
}

// Total returns the sum of the steps.
func (t Timings) Total() float64 {
	var sum float64
	for _, s := range t {
		sum += s.MS
	}
	return sum
}
