package chrome

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// Thumbnail bounds, in CSS pixels of the picture.
const (
	thumbMaxWidth  = 320
	thumbMaxHeight = 240
	thumbTimeout   = 5 * time.Second
)

// openPage is a captured page whose tab stays open for thumbnails.
type openPage struct {
	pl    *pageLoad
	page  *audit.Page
	close func()
	once  sync.Once
}

// Thumbnail takes a small JPEG of the element's box from the rendered page,
// scaled to fit thumbMaxWidth by thumbMaxHeight. When the page's renderer
// crashed, the error is an *audit.LoadError with cause crash.
func (o *openPage) Thumbnail(ctx context.Context, id audit.NodeID) (string, error) {
	if !o.page.Valid(id) {
		return "", errors.New("no such node")
	}
	if o.pl.leftPage {
		return "", errors.New("the tab left the page during the keyboard walk")
	}
	n := o.page.Node(id)
	if n.Layout == nil || n.Frame != 0 {
		return "", errors.New("the element has no box in the top document")
	}
	box := n.Layout.Box
	if box.W < 2 || box.H < 2 {
		return "", fmt.Errorf("the element's box is %gx%g", box.W, box.H)
	}
	scale := min(1, thumbMaxWidth/box.W, thumbMaxHeight/box.H)
	o.pl.step("thumbnail")
	cctx, cancel := context.WithTimeout(o.pl.tab, thumbTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	shot, err := chromedp.Call(cctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatJpeg,
		Quality:               new(int64(70)),
		Clip:                  &page.Viewport{X: box.X, Y: box.Y, Width: box.W, Height: box.H, Scale: scale},
		CaptureBeyondViewport: new(true),
	})
	if err != nil {
		if o.pl.crashedSoon() {
			// The page is no longer what was captured: it fails.
			return "", o.pl.fail(audit.CauseCrash, fmt.Errorf("the page crashed the browser tab while its pictures were taken: %w", err))
		}
		return "", fmt.Errorf("screenshot of %s: %w", audit.Selector(o.page, id), err)
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(shot.Data), nil
}

// Close closes the tab.
func (o *openPage) Close() { o.once.Do(o.close) }
