package chrome

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/newsa11y/newsa11y/audit"
)

//go:embed js/consent.js
var consentJS string

// Consent handling limits.
const (
	// consentStops bounds the Tab presses that look for the dialog from
	// the top of the page, and those of the short walk inside it.
	consentStops = 20
	// consentBudget bounds the whole handling of a dialog.
	consentBudget = 8 * time.Second
	// consentCloseWait bounds the wait for the dialog to close after a
	// key press: platforms fade their banners out.
	consentCloseWait = 1500 * time.Millisecond
)

// consentFacts is what js/consent.js's detect says of a dialog.
type consentFacts struct {
	Platform        string `json:"platform"`
	Selector        string `json:"selector"`
	Modal           bool   `json:"modal"`
	Control         string `json:"control"`
	ControlPath     string `json:"controlPath"`
	ControlTabbable bool   `json:"controlTabbable"`
	ForeignFrame    bool   `json:"foreignFrame"`
}

// consentStopFacts is what js/consent.js's stop says of the focused
// element.
type consentStopFacts struct {
	Path     string `json:"path"`
	Label    string `json:"label"`
	InDialog bool   `json:"inDialog"`
	Frame    bool   `json:"frame"`
}

// A consenter handles the consent dialog of one page.
type consenter struct {
	pl  *pageLoad
	ctx context.Context
	d   *audit.ConsentDialog
	// paths holds each stop's element path, to tell stops apart.
	paths []string
	// cycled is set when Tab brought focus back to a stop already met.
	cycled bool
}

// handleConsent finds the consent dialog the page opened with, if any,
// before the capture and the keyboard walk, and deals with it as the
// consent mode says: it records the keyboard stops a user meets in it,
// then, in ConsentAccept mode, closes it by pressing its own accept or
// close control from the keyboard, or removes it (ConsentHide, or when
// no key press could close it). It returns nil when the page has no
// dialog. Its errors are the browser's: a dialog it cannot close is a
// finding, not an error.
func (pl *pageLoad) handleConsent() (*audit.ConsentDialog, error) {
	d, err := pl.consent()
	if err != nil && d != nil && d.Action == "" {
		d.Action = audit.ConsentKept
		d.Why = "newsa11y could not finish with it: " + err.Error()
	}
	return d, err
}

// consent does handleConsent's work.
func (pl *pageLoad) consent() (*audit.ConsentDialog, error) {
	mode := pl.b.opts.Consent
	if mode == "" {
		mode = audit.ConsentAccept
	}
	ctx, cancel := context.WithTimeout(pl.tab, consentBudget)
	defer cancel()
	c := &consenter{pl: pl, ctx: ctx}
	defer func() { _ = c.eval("finish()", nil) }()
	var f *consentFacts
	if err := c.eval("detect()", &f); err != nil {
		return nil, fmt.Errorf("find a consent dialog: %w", err)
	}
	if f == nil {
		return nil, nil
	}
	c.d = &audit.ConsentDialog{Platform: f.Platform, Selector: f.Selector, Modal: f.Modal, Control: f.Control, Stops: []audit.ConsentStop{}}
	if mode == audit.ConsentHide {
		return c.d, c.remove(audit.ConsentHidden)
	}
	if err := c.walk(); err != nil {
		return c.d, fmt.Errorf("walk the consent dialog: %w", err)
	}
	c.trap(f)
	if mode == audit.ConsentKeep {
		c.d.Action = audit.ConsentKept
		return c.d, c.eval("start()", nil)
	}
	if err := c.dismiss(f); err != nil {
		return c.d, fmt.Errorf("close the consent dialog: %w", err)
	}
	return c.d, c.eval("start()", nil)
}

// walk presses Tab from the top of the page, as a user meets the dialog,
// and records the stops up to the first one outside the dialog after it,
// or until focus goes back to a stop already met. When Tab never reaches
// the dialog, a short walk inside it starts from its first focusable
// element.
func (c *consenter) walk() error {
	// A dialog that took focus as it opened is where the user starts.
	var at *consentStopFacts
	if err := c.eval("stop()", &at); err != nil {
		return err
	}
	if at != nil && at.InDialog {
		c.add(at)
	} else if err := c.eval("start()", nil); err != nil {
		return err
	}
	met, err := c.tabFrom(consentStops)
	if err != nil || met {
		return err
	}
	var focused bool
	if err := c.eval("focusFirst()", &focused); err != nil || !focused {
		return err
	}
	c.d.Stops, c.paths, c.cycled = c.d.Stops[:0], c.paths[:0], false
	if err := c.record(); err != nil {
		return err
	}
	_, err = c.tabFrom(consentStops - 1)
	return err
}

// tabFrom presses Tab up to n times, recording each stop, and reports
// whether focus was met in the dialog. It ends when focus comes back to a
// stop already met, after the first stop outside the dialog that follows
// one inside, or when three presses in a row focus nothing.
func (c *consenter) tabFrom(n int) (bool, error) {
	met := false
	for _, s := range c.d.Stops {
		met = met || s.InDialog
	}
	empty := 0
	for range n {
		if err := c.press(keyTab); err != nil {
			return met, err
		}
		var s *consentStopFacts
		if err := c.eval("stop()", &s); err != nil {
			return met, err
		}
		if s == nil {
			if empty++; empty == 3 {
				return met, nil
			}
			continue
		}
		empty = 0
		if c.seen(s) {
			c.cycled = true
			return met, nil
		}
		c.add(s)
		if s.InDialog {
			met = true
		} else if met {
			return met, nil
		}
	}
	return met, nil
}

// record adds the focused element as a stop.
func (c *consenter) record() error {
	var s *consentStopFacts
	if err := c.eval("stop()", &s); err != nil || s == nil {
		return err
	}
	c.add(s)
	return nil
}

// add appends a stop.
func (c *consenter) add(s *consentStopFacts) {
	c.d.Stops = append(c.d.Stops, audit.ConsentStop{Label: s.Label, InDialog: s.InDialog})
	c.paths = append(c.paths, s.Path)
}

// seen reports whether focus came back to a stop already met: a trap's
// cycle or the tab order's wrap. Focus on a frame the walk cannot see into
// moves on unseen, so a frame met again is not a cycle until the third
// time.
func (c *consenter) seen(s *consentStopFacts) bool {
	times := 0
	for _, p := range c.paths {
		if p == s.Path {
			times++
		}
	}
	if s.Frame {
		return times >= 2
	}
	return times > 0
}

// trap judges the stops: Tab went round the dialog's stops without
// leaving it, and the control that closes it is not among them.
func (c *consenter) trap(f *consentFacts) {
	stops := c.d.Stops
	if len(stops) == 0 {
		return
	}
	for i, p := range c.paths {
		if f.ControlPath != "" && p == f.ControlPath {
			c.d.ControlStop = i + 1
		}
	}
	// Focus went round inside the dialog: the last stop is in it and the
	// next press went back to one met before.
	if c.cycled && stops[len(stops)-1].InDialog && c.d.ControlStop == 0 {
		c.d.Trapped = true
	}
}

// dismiss closes the dialog with its control, focused and pressed with
// Enter, then Space; when no key closes it, it removes it and says why.
func (c *consenter) dismiss(f *consentFacts) error {
	no := false
	switch {
	case f.Control == "" && f.ForeignFrame:
		c.d.Why = "its controls are in a frame from another site, which newsa11y cannot look into"
		return c.remove(audit.ConsentRemoved)
	case f.Control == "":
		c.d.Why = "newsa11y found no accept or close control in it"
		return c.remove(audit.ConsentRemoved)
	case !f.ControlTabbable:
		c.d.Dismissable = &no
		c.d.Why = fmt.Sprintf("its %s cannot take focus from the Tab key", f.Control)
		return c.remove(audit.ConsentRemoved)
	}
	for _, k := range []key{keyEnter, keySpace} {
		var focused bool
		if err := c.eval("focusControl()", &focused); err != nil {
			return err
		}
		if !focused {
			c.d.Dismissable = &no
			c.d.Why = fmt.Sprintf("its %s does not keep focus", f.Control)
			return c.remove(audit.ConsentRemoved)
		}
		navs := c.pl.sess.navigationCount()
		if err := c.press(k); err != nil {
			return err
		}
		closed, err := c.closed()
		if c.pl.sess.navigationCount() != navs {
			// The control loaded the page again, with consent stored:
			// the new document is the page behind the dialog.
			closed, err = c.reloaded()
		}
		if err != nil {
			return err
		}
		if closed {
			yes := true
			c.d.Dismissable, c.d.Key, c.d.Action = &yes, k.label, audit.ConsentAccepted
			return nil
		}
	}
	c.d.Dismissable = &no
	c.d.Why = fmt.Sprintf("pressing Enter or Space on its %s left it open", f.Control)
	return c.remove(audit.ConsentRemoved)
}

// closed waits up to consentCloseWait for the dialog to stop showing.
func (c *consenter) closed() (bool, error) {
	end := time.Now().Add(consentCloseWait)
	for {
		var gone bool
		if err := c.eval("gone()", &gone); err != nil {
			return false, err
		}
		if gone || time.Now().After(end) {
			return gone, nil
		}
		select {
		case <-c.ctx.Done():
			return false, c.ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// reloaded waits for the document a control loaded to settle and
// reports whether it opens without the dialog.
func (c *consenter) reloaded() (bool, error) {
	if err := c.pl.settle(2*time.Second, "after the consent dialog's control"); err != nil {
		return false, err
	}
	for {
		var gone bool
		err := c.eval("gone()", &gone)
		if err == nil {
			return gone, nil
		}
		select {
		case <-c.ctx.Done():
			return false, err
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// remove takes the dialog out of the page and records the action.
func (c *consenter) remove(action string) error {
	c.d.Action = action
	var n int
	return c.eval("hide()", &n)
}

// press sends a key down and up to the page.
func (c *consenter) press(k key) error {
	down := input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeRawKeyDown, Key: k.name, Code: k.dom,
		WindowsVirtualKeyCode: k.code, NativeVirtualKeyCode: k.code, Modifiers: k.modifiers,
	}
	if k.text != "" {
		down.Type, down.Text, down.UnmodifiedText = input.DispatchKeyEventTypeKeyDown, k.text, k.text
	}
	up := input.DispatchKeyEventParams{
		Type: input.DispatchKeyEventTypeKeyUp, Key: k.name, Code: k.dom,
		WindowsVirtualKeyCode: k.code, NativeVirtualKeyCode: k.code, Modifiers: k.modifiers,
	}
	if _, err := chromedp.Call(c.ctx, input.DispatchKeyEvent, down); err != nil {
		return fmt.Errorf("press %s: %w", k.name, err)
	}
	if _, err := chromedp.Call(c.ctx, input.DispatchKeyEvent, up); err != nil {
		return fmt.Errorf("release %s: %w", k.name, err)
	}
	return nil
}

// eval calls a method of js/consent.js, written as "name(args)", and
// decodes the JSON string it returns into v (nil to ignore it).
func (c *consenter) eval(call string, v any) error {
	raw, err := evaluate(&pageLoad{tab: c.ctx}, "(("+consentJS+")."+call+")", false)
	if err != nil {
		return fmt.Errorf("%s: %w", call, err)
	}
	if v == nil {
		return nil
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return fmt.Errorf("%s: decode result: %w", call, err)
	}
	if err := json.Unmarshal([]byte(text), v); err != nil {
		return fmt.Errorf("%s: decode result %q: %w", call, text, err)
	}
	return nil
}
