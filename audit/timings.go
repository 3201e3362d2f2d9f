package audit

import "time"

// A StepTime is how long one step of a page's audit took, in wall time
// and in CPU time.
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
	// CPUMS is the CPU time newsa11y's whole process used during the
	// step, user and system, in milliseconds: the pages audited at the
	// same time share it. Absent for a page's first step.
	CPUMS float64 `json:"cpu_ms,omitempty"`
	// BrowserCPUMS is the time the page's renderer spent running tasks on
	// its main thread during the step (scripts, style, layout, parsing,
	// the DevTools commands themselves), in milliseconds, as the browser's
	// Performance.getMetrics TaskDuration counts it. Only the browser's
	// steps have it.
	BrowserCPUMS float64 `json:"browser_cpu_ms,omitempty"`

	// cpuAt is the process's CPU time when the step ended.
	cpuAt time.Duration
}

// Timings records the steps of one page's audit in the order they ran.
// Loaders and the runner append to it; it is reported only when asked
// for (newsa11y audit --timings), since it changes from run to run.
type Timings []StepTime

// Since records a step that started at start. Steps follow one another,
// so its CPU time is the process's since the previous step ended.
func (t *Timings) Since(step string, start time.Time) {
	s := StepTime{Step: step, MS: float64(time.Since(start).Microseconds()) / 1000, cpuAt: ProcessCPU()}
	if n := len(*t); n > 0 && (*t)[n-1].cpuAt > 0 && s.cpuAt > 0 {
		s.CPUMS = float64((s.cpuAt - (*t)[n-1].cpuAt).Microseconds()) / 1000
	}
	*t = append(*t, s)
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
