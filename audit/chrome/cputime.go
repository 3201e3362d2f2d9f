package chrome

import (
	"context"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// A cpuMark is the page renderer's main-thread task time, in seconds, as
// a step started.
type cpuMark struct {
	step string
	task float64
}

// cpuMarkTimeout bounds one reading: a renderer too busy to answer costs
// the step its browser CPU figure, never the page its time.
const cpuMarkTimeout = time.Second

// markCPU reads the renderer's task time as the named step starts, when
// the browser's options ask for it (Options.BrowserCPU). The first mark
// enables the Performance domain. A failed reading is left out.
func (pl *pageLoad) markCPU(step string) {
	if pl.cpuDone || !pl.b.opts.BrowserCPU {
		return
	}
	ctx, cancel := context.WithTimeout(pl.tab, cpuMarkTimeout)
	defer cancel()
	if len(pl.cpuMarks) == 0 && !pl.cpuEnabled {
		if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
			return
		}
		pl.cpuEnabled = true
	}
	res, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		return
	}
	for _, m := range res.Metrics {
		if m.Name == "TaskDuration" {
			pl.cpuMarks = append(pl.cpuMarks, cpuMark{step: step, task: m.Value})
			return
		}
	}
}

// addBrowserCPU reads the task time once more and gives each timed step
// that has a mark the renderer time from its mark to the next.
func (pl *pageLoad) addBrowserCPU(times audit.Timings) {
	if !pl.cpuEnabled {
		return
	}
	pl.markCPU("")
	pl.cpuDone = true
	for k := 0; k+1 < len(pl.cpuMarks); k++ {
		m := pl.cpuMarks[k]
		for i := range times {
			if times[i].Step == m.step {
				times[i].BrowserCPUMS = float64((time.Duration((pl.cpuMarks[k+1].task - m.task) * float64(time.Second))).Microseconds()) / 1000
			}
		}
	}
}
