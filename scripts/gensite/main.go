// Command gensite writes a synthetic local news site for benchmarks:
//
//	go run ./scripts/gensite -n 1000 /tmp/site
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/newsa11y/newsa11y/internal/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "number of article pages")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gensite [-n PAGES] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := sitegen.Write(dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
