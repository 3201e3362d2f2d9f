package audit

import "time"

// A StepTime is how long one step of a page's audit took.
type StepTime struct {
	// Step names the step: setup, open, load, settle, scroll, hide, dom, ax,
	// images, walk, rules, thumbnails, summarize.
	Step string `json:"step"`
	// MS is its duration in milliseconds.
	MS float64 `json:"ms"`
	// RoundTrips is how many DevTools protocol commands the step sent to
	// the browser, each a wait for its answer; counted for the keyboard
	// walk ("walk"), zero (left out) for steps that do not count them.
	RoundTrips int `json:"round_trips,omitempty"`
}

// Timings records the steps of one page's audit in the order they ran.
// Loaders and the runner append to it; it is reported only when asked
// for (newsa11y audit --timings), since it changes from run to run.
type Timings []StepTime

// Since records a step that started at start.
func (t *Timings) Since(step string, start time.Time) {
	*t = append(*t, StepTime{Step: step, MS: float64(time.Since(start).Microseconds()) / 1000})
}

// SinceTrips records a step that started at start and sent roundTrips
// DevTools protocol commands.
func (t *Timings) SinceTrips(step string, start time.Time, roundTrips int) {
	t.Since(step, start)
	(*t)[len(*t)-1].RoundTrips = roundTrips
}

// Total returns the sum of the steps.
func (t Timings) Total() float64 {
	var sum float64
	for _, s := range t {
		sum += s.MS
	}
	return sum
}
