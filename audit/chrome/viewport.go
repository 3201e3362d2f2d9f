package chrome

import (
	"context"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

// viewport returns the window the page is laid out in: the target's when
// it names one, else the browser's.
func (pl *pageLoad) viewport() audit.Viewport {
	if pl.t.Viewport.Width > 0 && pl.t.Viewport.Height > 0 {
		return pl.t.Viewport
	}
	return pl.b.opts.Viewport
}

// emulateMobile makes the tab of ctx a touch phone: touch events and the
// matching media queries (hover: none, pointer: coarse), and a mobile
// user agent for sites that pick their markup by it. product is the
// browser's product string.
func emulateMobile(ctx context.Context, product string) error {
	if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{
		Enabled: true, MaxTouchPoints: 5,
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: mobileUserAgent(product),
	})
	return err
}

// mobileUserAgent returns an Android Chrome user agent for the browser's
// major version, taken from its product string ("Chrome/156.0.…").
func mobileUserAgent(product string) string {
	major := "120"
	if _, v, ok := strings.Cut(product, "/"); ok {
		if m, _, _ := strings.Cut(v, "."); m != "" {
			major = m
		}
	}
	return "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + major + ".0.0.0 Mobile Safari/537.36"
}
