package chrome

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

//go:embed js/scroll.js
var scrollJS string

//go:embed js/settle.js
var settleJS string

// maxScrollSteps bounds the scroll on endless pages: at most this many
// viewports are visited.
const maxScrollSteps = 40

// scroll runs js/scroll.js: down the page a viewport at a time, then back to
// the top.
func (pl *pageLoad) scroll() error {
	_, err := evaluate(pl, "("+scrollJS+")("+strconv.Itoa(maxScrollSteps)+")", true)
	return err
}

// evaluate runs a JavaScript expression in the page and returns its value
// as JSON; a thrown exception is an error.
func evaluate(pl *pageLoad, expr string, await bool) ([]byte, error) {
	return evaluateIn(pl.tab, expr, await)
}

// evaluateIn runs a JavaScript expression in the tab of ctx and returns
// its value as JSON, awaiting a promise when await is set; a thrown
// exception is an error.
func evaluateIn(ctx context.Context, expr string, await bool) ([]byte, error) {
	res, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    expr,
		ReturnByValue: new(true),
		AwaitPromise:  new(await),
		Silent:        new(true),
	})
	if err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("script failed: %s", exceptionText(res.ExceptionDetails))
	}
	if res.Result == nil {
		return nil, nil
	}
	return res.Result.Value, nil
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}
