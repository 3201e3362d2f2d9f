package main

import (
	"fmt"
	"io"
)

// tabsPerCore bounds --concurrency: each page at once is a browser tab
// with its own renderer (hundreds of megabytes for a news page), and more
// of them than the cores can run only adds memory and timeouts.
const tabsPerCore = 4

// capConcurrency returns how many pages to audit at once: what was asked
// for, but no more than the pages to audit (a tab is prepared for each)
// nor than tabsPerCore per core, saying so on stderr when the latter
// lowers it.
func capConcurrency(asked, pages, cores int, stderr io.Writer) int {
	n := asked
	if limit := tabsPerCore * max(cores, 1); n > limit {
		fmt.Fprintf(stderr, "newsa11y: --concurrency %d is more than %d pages at once per core: auditing %d at once on %d cores\n", asked, tabsPerCore, limit, cores)
		n = limit
	}
	return max(min(n, pages), 1)
}
