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
		return &barProgress{bar: progressbar.NewOptions(total,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("auditing"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("pages"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)}
	}
	return &lineProgress{w: stderr, total: total, start: time.Now(), every: 10 * time.Second, last: time.Now()}
}

type noProgress struct{}

func (noProgress) done(audit.PageResult) {}
func (noProgress) finish()               {}

// barProgress draws a bar with pages done of total, rate and time left;
// its description counts the failures so far.
type barProgress struct {
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	failed int
}

func (b *barProgress) done(r audit.PageResult) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.Failed() {
		b.failed++
		b.bar.Describe(fmt.Sprintf("auditing (%d failed)", b.failed))
	}
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
	elapsed := time.Since(l.start)
	rate := float64(l.n) / elapsed.Seconds()
	eta := "unknown"
	if rate > 0 {
		eta = time.Duration(float64(l.total-l.n) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(l.w, "newsa11y: %d/%d pages, %.1f pages/s, about %s left, %d failed\n", l.n, l.total, rate, eta, l.failed)
}

func (l *lineProgress) finish() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.print()
}
