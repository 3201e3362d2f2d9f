// Command storecost measures what the results store costs: it writes the
// pages of a real JSON report into a fresh store, repeated (each copy
// under its own URL) up to -n pages, as an audit with --store writes
// them: one transaction a page as it finishes, then the post-processed
// pages again when the run ends. It prints the time per page of each
// step and, for a SQLite store, the file's size.
//
//	go run ./scripts/storecost -n 1000 -report run.json -dsn sqlite:/tmp/cost.db
//
// scripts/store-cost.sh runs it beside the audits it takes the report
// from.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/reports"
	"github.com/newsa11y/newsa11y/store"
)

func main() {
	n := flag.Int("n", 1000, "pages to write")
	from := flag.String("report", "", "the JSON report or JSONL stream whose pages are written")
	dsn := flag.String("dsn", "", "the store, empty and new (sqlite:PATH or postgres://…)")
	flag.Parse()
	if *from == "" || *dsn == "" {
		fmt.Fprintln(os.Stderr, "usage: storecost -report RESULTS -dsn DSN [-n PAGES]")
		os.Exit(2)
	}
	if err := measure(*n, *from, *dsn); err != nil {
		fmt.Fprintln(os.Stderr, "storecost:", err)
		os.Exit(1)
	}
}

func measure(n int, from, dsn string) error {
	rep, err := reports.ReadResults(from)
	if err != nil {
		return err
	}
	if len(rep.Pages) == 0 {
		return fmt.Errorf("%s holds no page", from)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close() // on errors; closed below to measure the file
	w, err := st.StartRun(ctx, store.RunInfo{ID: "cost", ToolVersion: rep.Tool.Version, Request: map[string]any{"measure": from}})
	if err != nil {
		return err
	}
	pages := make([]audit.PageResult, n)
	findings := 0
	for i := range pages {
		p := rep.Pages[i%len(rep.Pages)]
		p.URL = fmt.Sprintf("%s#copy-%d", p.URL, i)
		p.Index = i
		pages[i] = p
		findings += len(p.Findings)
	}
	perPage := make([]time.Duration, n)
	start := time.Now()
	for i, p := range pages {
		t := time.Now()
		if err := w.Page(ctx, p, p.URL); err != nil {
			return err
		}
		perPage[i] = time.Since(t)
	}
	streamed := time.Since(start)
	t := time.Now()
	if err := w.Finish(ctx, store.StatusDone, pages, nil); err != nil {
		return err
	}
	finished := time.Since(t)
	slices.Sort(perPage)
	fmt.Printf("store %s: %d pages (%d findings, %.1f a page) from %s\n", st, n, findings, float64(findings)/float64(n), from)
	fmt.Printf("  page write as it finishes: median %.2f ms, p90 %.2f ms, mean %.2f ms\n",
		ms(perPage[n/2]), ms(perPage[n*9/10]), ms(streamed)/float64(n))
	fmt.Printf("  end of run (post-processed pages rewritten): %.2f ms a page\n", ms(finished)/float64(n))
	fmt.Printf("  total: %.2f ms a page\n", (ms(streamed)+ms(finished))/float64(n))
	// Closing the last connection checkpoints the WAL into the file.
	if err := st.Close(); err != nil {
		return err
	}
	if path, ok := strings.CutPrefix(st.String(), "sqlite:"); ok {
		var size int64
		matches, _ := filepath.Glob(path + "*") // the file, and any -wal left
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil {
				size += fi.Size()
			}
		}
		fmt.Printf("  database size: %.1f MB (%.1f KB a page)\n", float64(size)/1e6, float64(size)/1e3/float64(n))
	}
	return nil
}

// ms returns d in milliseconds.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
