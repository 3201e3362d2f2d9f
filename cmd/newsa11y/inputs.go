package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// sniffLen is how much of a file is read to tell what it is.
const sniffLen = 512

// checkXMLFile refuses a local sitemap or feed that is not XML (or gzip),
// naming the flag and how the file begins. URLs, and files that are not
// regular or cannot be read, are left to the collector, whose messages
// say why.
func checkXMLFile(flag, src string) error {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		return nil
	}
	st, err := os.Stat(src)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(src)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, sniffLen)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
		return nil
	}
	text := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\ufeff")))
	want := "want an XML sitemap (<urlset> or <sitemapindex>, gzipped or not); a list of URLs, one a line, goes to --urls"
	if flag == "--feed" {
		want = "want an RSS or Atom feed (XML); a list of URLs, one a line, goes to --urls"
	}
	if len(text) == 0 {
		return fmt.Errorf("%s %s: the file is empty: %s", flag, termsafe.String(src), want)
	}
	if text[0] != '<' {
		return fmt.Errorf("%s %s: not XML (it begins %q): %s", flag, termsafe.String(src), beginning(text), want)
	}
	return nil
}

// beginning returns the first line of text, cut to 40 characters, safe
// for a terminal.
func beginning(text []byte) string {
	line, _, _ := bytes.Cut(text, []byte("\n"))
	s := termsafe.String(strings.TrimSpace(string(line)))
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return s
}

// resultsKind tells what a JSON document is: "results" (a newsa11y JSON
// report), "page" (a page of a stream), "sarif", or "" for anything else.
func resultsKind(doc []byte) string {
	var probe struct {
		Schema        *string          `json:"$schema"`
		Runs          *json.RawMessage `json:"runs"`
		SchemaVersion *int             `json:"schema_version"`
		Pages         *json.RawMessage `json:"pages"`
		URL           *string          `json:"url"`
	}
	if json.Unmarshal(doc, &probe) != nil {
		return ""
	}
	switch {
	case probe.Runs != nil:
		return "sarif"
	case probe.SchemaVersion != nil && probe.Pages != nil:
		return "results"
	case probe.URL != nil && *probe.URL != "":
		return "page"
	}
	return ""
}

// wrongKind explains a file that is not what the input wants.
func wrongKind(input, path, kind, want string) error {
	what := "not newsa11y results"
	switch kind {
	case "sarif":
		what = "a SARIF report, which newsa11y writes but cannot read back"
	case "results":
		what = "a JSON report, not a stream"
	case "xml":
		what = "an XML or HTML file (a JUnit or HTML report?), not newsa11y results"
	case "empty":
		what = "empty"
	}
	return fmt.Errorf("%s %s: %s; want %s", input, termsafe.String(path), what, want)
}

// checkResults refuses a file given to report --from or merge that is not
// a newsa11y JSON report or stream: a SARIF or JUnit report, an empty
// file, JSON of another shape.
func checkResults(input, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // left to the reader, whose message names the file
	}
	want := "the JSON report (--report json=FILE) or the stream (--report jsonl=FILE) of a run"
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return wrongKind(input, path, "empty", want)
	case trimmed[0] == '<':
		return wrongKind(input, path, "xml", want)
	}
	if k := resultsKind(trimmed); k == "sarif" {
		return wrongKind(input, path, k, want)
	} else if k != "" {
		return nil
	}
	first, _, _ := bytes.Cut(trimmed, []byte("\n"))
	if resultsKind(first) != "page" {
		return wrongKind(input, path, "", want)
	}
	return nil
}

// checkStream refuses a --resume file that exists but is not a newsa11y
// stream: each of its whole lines must be a page (an object with a url).
// A last line without its line break is what a killed run leaves, and is
// cut off by the resumed run.
func checkStream(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return nil // left to the stream, whose message names the file
	}
	defer f.Close()
	want := "the JSON Lines stream of --report jsonl=FILE, one page a line"
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		switch k := resultsKind(line); {
		case k == "page":
			continue
		case n == 1 && (k == "sarif" || k == "results"):
			return wrongKind("--resume", path, k, want)
		case n == 1 && line[0] == '{' && resultsKind(fileStart(path)) != "":
			return wrongKind("--resume", path, resultsKind(fileStart(path)), want)
		default:
			return fmt.Errorf("--resume %s: line %d is not a page of a newsa11y stream (%q); want %s", termsafe.String(path), n, beginning(line), want)
		}
	}
}

// fileStart reads a whole file, for telling what a multi-line JSON
// document is; nil when it cannot be read.
func fileStart(path string) []byte {
	data, _ := os.ReadFile(path)
	return data
}
