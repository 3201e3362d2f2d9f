// Command gensite writes a synthetic local news site for benchmarks:
//
//	go run ./scripts/gensite -n 1000 /tmp/site
//
// or, with -large, one long page of about that many elements
// (large-N.html):
//
//	go run ./scripts/gensite -large 100000 /tmp/large
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/newsa11y/newsa11y/internal/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "number of article pages")
	large := flag.Int("large", 0, "write one page of this many elements instead")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gensite [-n PAGES | -large ELEMENTS] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *large > 0 {
		path, err := sitegen.WriteLarge(dir, *large)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(path)
		return
	}
	if err := sitegen.Write(dir, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
