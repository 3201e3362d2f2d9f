package chrome

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// A Visit is what a quick look at a page of newsa11y's own saw: the errors
// the page logged and the value a script computed in it. Tests use it to
// check the HTML report in a real browser.
type Visit struct {
	// Errors are console errors, uncaught exceptions and browser errors
	// such as Content-Security-Policy violations, in order.
	Errors []string
	// Value is the JSON value of the script, if one was given.
	Value []byte
	// Screenshot is a PNG of the whole page, if one was asked for.
	Screenshot []byte
}

// VisitPage loads url in a new tab, waits for its load event, runs script
// (a JavaScript expression, possibly empty) and collects the errors the
// page produced meanwhile, with an optional full-page screenshot.
func (b *Browser) VisitPage(ctx context.Context, url, script string, screenshot bool) (*Visit, error) {
	proc, err := b.current()
	if err != nil {
		return nil, fmt.Errorf("visit %s: %w", url, err)
	}
	tab, cancel := chromedp.NewContext(proc.ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if err := chromedp.Do(tab); err != nil {
		return nil, fmt.Errorf("visit %s: open tab: %w", url, err)
	}
	var mu sync.Mutex
	v := &Visit{}
	note := func(s string) {
		mu.Lock()
		v.Errors = append(v.Errors, s)
		mu.Unlock()
	}
	if err := chromedp.Listen(tab, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				note(fmt.Sprintf("console.error with %d arguments", len(ev.Args)))
			}
		case *runtime.EventExceptionThrown:
			note("exception: " + exceptionText(ev.ExceptionDetails))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				note(string(ev.Entry.Source) + ": " + ev.Entry.Text)
			}
		}
	}); err != nil {
		return nil, err
	}
	tctx, tcancel := context.WithTimeout(tab, 30*time.Second)
	defer tcancel()
	_, err = chromedp.Run(tctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Navigate(url)))
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("visit %s: %w", url, err)
	}
	if script != "" {
		res, err := chromedp.Call(tctx, runtime.Evaluate, runtime.EvaluateParams{Expression: script, ReturnByValue: new(true), AwaitPromise: new(true)})
		if err != nil {
			return nil, fmt.Errorf("visit %s: evaluate: %w", url, err)
		}
		if res.ExceptionDetails != nil {
			return nil, fmt.Errorf("visit %s: script failed: %s", url, exceptionText(res.ExceptionDetails))
		}
		v.Value = res.Result.Value
	}
	if screenshot {
		shot, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
		if err != nil {
			return nil, fmt.Errorf("visit %s: screenshot: %w", url, err)
		}
		v.Screenshot = shot
	}
	// Give late log entries (CSP reports are asynchronous) a moment.
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	return v, nil
}
