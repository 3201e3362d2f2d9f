package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/chrome"
)

// interruptGrace is how long a run gets, after Ctrl-C or SIGTERM, to stop
// by itself: to drop the pages in flight, write the reports of the pages
// done and close the browser. Past it, the run is stuck somewhere that
// does not heed the interrupt (a frozen browser, a read that never ends):
// it then writes the reports of the pages finished so far itself, taking
// at most salvageTime, and exits 130. Both together stay under 10 s.
const (
	interruptGrace = 6 * time.Second
	salvageTime    = 3 * time.Second
)

// interrupts watches for Ctrl-C and SIGTERM during an audit. The first
// cancels the run's context; a second exits at once; and a run that has
// not ended interruptGrace after the first is ended regardless. Either
// way the exit code is 130.
type interrupts struct {
	// ctx ends at the first interrupt.
	ctx    context.Context
	cancel context.CancelFunc
	sigs   chan os.Signal
	quit   chan struct{}
	stderr io.Writer
	// exit ends the process; os.Exit.
	exit func(code int)

	// reports is held while reports are written, by the run or by the
	// watcher, so that the two never write the same file at once.
	reports sync.Mutex
	// mu guards what follows.
	mu sync.Mutex
	// written is set once the reports are written.
	written bool
	// salvage writes the reports of the pages given; nil until the run
	// knows where its reports go.
	salvage func(pages []audit.PageResult)
	// pages are the pages finished so far.
	pages []audit.PageResult
}

// exitNow ends the process at once with code, first killing the browsers
// it started and removing their profiles, which the run had no time to
// close.
func exitNow(code int) {
	chrome.Abandon()
	os.Exit(code)
}

// watchInterrupts starts watching for interrupts. The caller calls stop
// once the command is done.
func watchInterrupts(parent context.Context, stderr io.Writer) *interrupts {
	ctx, cancel := context.WithCancel(parent)
	in := &interrupts{
		ctx: ctx, cancel: cancel, stderr: stderr, exit: exitNow,
		sigs: make(chan os.Signal, 2), quit: make(chan struct{}),
	}
	signal.Notify(in.sigs, os.Interrupt, syscall.SIGTERM)
	go in.watch()
	return in
}

// stop stops watching; interrupts then have their default effect.
func (in *interrupts) stop() {
	signal.Stop(in.sigs)
	close(in.quit)
	in.cancel()
}

// interrupted reports whether the run was interrupted.
func (in *interrupts) interrupted() bool { return in.ctx.Err() != nil }

// onForcedExit sets how the watcher writes the reports of the pages
// finished so far when the run does not stop in time.
func (in *interrupts) onForcedExit(salvage func(pages []audit.PageResult)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.salvage = salvage
}

// pageDone records a finished page, for the reports of a forced exit.
func (in *interrupts) pageDone(r audit.PageResult) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.pages = append(in.pages, r)
}

// writeReports runs write, which writes the run's reports, unless the
// watcher is writing them already, in which case it waits for the exit.
func (in *interrupts) writeReports(write func() error) error {
	in.reports.Lock()
	defer in.reports.Unlock()
	err := write()
	in.mu.Lock()
	in.written = true
	in.mu.Unlock()
	return err
}

func (in *interrupts) watch() {
	select {
	case <-in.sigs:
	case <-in.quit:
		return
	}
	in.cancel()
	fmt.Fprintln(in.stderr, "newsa11y: interrupted: stopping and writing the reports of the pages done (Ctrl-C again to quit at once)")
	grace := time.NewTimer(interruptGrace)
	defer grace.Stop()
	select {
	case <-in.sigs:
		fmt.Fprintln(in.stderr, "newsa11y: interrupted again: quitting now")
		in.exit(ExitInterrupted)
	case <-grace.C:
		fmt.Fprintf(in.stderr, "newsa11y: the run did not stop within %s of the interrupt; quitting\n", interruptGrace)
		in.forceExit()
	case <-in.quit:
	}
}

// forceExit writes the reports of the pages finished so far, unless the
// run wrote them, taking at most salvageTime, and exits 130.
func (in *interrupts) forceExit() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		in.reports.Lock() // held until the exit
		in.mu.Lock()
		salvage, written := in.salvage, in.written
		pages := slices.Clone(in.pages)
		in.mu.Unlock()
		if salvage == nil || written {
			return
		}
		// Reports keep the order of the input.
		slices.SortStableFunc(pages, func(a, b audit.PageResult) int { return a.Index - b.Index })
		salvage(pages)
	}()
	select {
	case <-done:
	case <-time.After(salvageTime):
		fmt.Fprintln(in.stderr, "newsa11y: the reports could not be written in time")
	case <-in.sigs:
	}
	in.exit(ExitInterrupted)
}
