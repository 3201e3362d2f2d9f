package chrome

import (
	"encoding/json"
	"fmt"

	"github.com/newsa11y/newsa11y/audit"
)

// hideElements removes from the top document the elements that match
// Options.HideElements, before the capture and the keyboard walk, and
// returns what each selector removed. A selector the browser rejects is
// recorded with its error; it does not fail the page.
func (pl *pageLoad) hideElements() ([]audit.HiddenSelector, error) {
	sels := pl.b.opts.HideElements
	if len(sels) == 0 {
		return nil, nil
	}
	arg, err := json.Marshal(sels)
	if err != nil {
		return nil, err
	}
	raw, err := evaluate(pl, "(("+walkJS+").hide("+string(arg)+"))", false)
	if err != nil {
		return nil, err
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, fmt.Errorf("decode result: %w", err)
	}
	var counts [][2]any
	if err := json.Unmarshal([]byte(text), &counts); err != nil || len(counts) != len(sels) {
		return nil, fmt.Errorf("decode result %q: %v", text, err)
	}
	out := make([]audit.HiddenSelector, len(sels))
	for i, sel := range sels {
		n, _ := counts[i][0].(float64)
		msg, _ := counts[i][1].(string)
		out[i] = audit.HiddenSelector{Selector: sel, Count: int(n), Error: msg}
	}
	return out, nil
}
