//go:build ablate

package chrome

import (
	"fmt"
	"os"
	"strings"
)

// ablatedSteps are the capture steps that NEWSA11Y_ABLATE names, comma
// separated, for a build with the tag ablate: "settle" (the wait after
// the load), "scroll" (the scroll for lazy images and the wait after it),
// "ax" (the accessibility tree) and "walk" (the keyboard walk). Such a
// build leaves them out, so that scripts/bench.sh can time what each
// costs; its findings are incomplete and never to be trusted.
var ablatedSteps = parseAblated(os.Getenv("NEWSA11Y_ABLATE"))

// parseAblated reads NEWSA11Y_ABLATE, and stops the program on a name it
// does not know: a misspelt step would time the full audit under a
// wrong label.
func parseAblated(list string) map[string]bool {
	steps := map[string]bool{}
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "":
		case "settle", "scroll", "ax", "walk":
			steps[name] = true
		default:
			fmt.Fprintf(os.Stderr, "newsa11y: NEWSA11Y_ABLATE: unknown step %q (want settle, scroll, ax or walk)\n", name)
			os.Exit(2)
		}
	}
	return steps
}

// ablated reports whether the capture leaves step out.
func ablated(step string) bool { return ablatedSteps[step] }
