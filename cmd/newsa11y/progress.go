package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/newsa11y/newsa11y/audit"
)

// A progress tells the user how a run goes, on standard error.
type progress interface {
	// done records a finished page.
	done(r audit.PageResult)
	// finish ends the display.
	finish()
}

// newProgress returns the display for a run of total pages: none when
// quiet or for a single page, a progress bar (schollz/progressbar) when
// stderr is a terminal, plain periodic lines otherwise, as in CI logs.
func newProgress(stderr io.Writer, total int, quiet bool) progress {
	if quiet || total < 2 {
		return noProgress{}
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &barProgress{total: total, start: time.Now(), bar: progressbar.NewOptions(total,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("auditing"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)}
	}
	return &lineProgress{w: stderr, total: total, start: time.Now(), every: 10 * time.Second, last: time.Now()}
}

type noProgress struct{}

func (noProgress) done(audit.PageResult) {}
func (noProgress) finish()               {}

// Minimums before a rate is shown: a rate measured over a few
// milliseconds or one page (the first page done at once, from a cache or
// a fast failure) says nothing about the run, and once read "141583
// pages/s".
const (
	rateMinPages   = 3
	rateMinElapsed = 5 * time.Second
)

// rateText returns the rate and time left after n of total pages in
// elapsed time, or "" until enough pages and time have passed for them to
// mean something.
func rateText(n, total int, elapsed time.Duration) string {
	if n < rateMinPages || elapsed < rateMinElapsed {
		return ""
	}
	rate := float64(n) / elapsed.Seconds()
	left := time.Duration(float64(total-n) / rate * float64(time.Second)).Round(time.Second)
	return fmt.Sprintf("%.1f pages/s, about %s left", rate, left)
}

// barProgress draws a bar with pages done of total; its description gives
// the rate and time left once they mean something (see rateText), and the
// failures so far.
type barProgress struct {
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	total, n int
	failed   int
	start    time.Time
}

func (b *barProgress) done(r audit.PageResult) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	if r.Failed() {
		b.failed++
	}
	desc := "auditing"
	if rate := rateText(b.n, b.total, time.Since(b.start)); rate != "" {
		desc += ", " + rate
	}
	if b.failed > 0 {
		desc += fmt.Sprintf(" (%d failed)", b.failed)
	}
	b.bar.Describe(desc)
	_ = b.bar.Add(1)
}

func (b *barProgress) finish() { _ = b.bar.Finish() }

// lineProgress prints a line every so often: pages done of total, rate,
// estimated time left, failures so far.
type lineProgress struct {
	mu          sync.Mutex
	w           io.Writer
	total, n    int
	failed      int
	start, last time.Time
	every       time.Duration
}

func (l *lineProgress) done(r audit.PageResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	if r.Failed() {
		l.failed++
	}
	if time.Since(l.last) >= l.every {
		l.print()
	}
}

func (l *lineProgress) print() {
	l.last = time.Now()
	rate := rateText(l.n, l.total, time.Since(l.start))
	if rate != "" {
		rate += ", "
	}
	fmt.Fprintf(l.w, "newsa11y: %d/%d pages, %s%d failed\n", l.n, l.total, rate, l.failed)
}

func (l *lineProgress) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.print()
}
