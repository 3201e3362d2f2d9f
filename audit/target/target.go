// Package target turns what the user typed into pages a loader can load:
// http(s) URLs pass through; local HTML files and folders of them are served
// from loopback servers rooted at their folders; "-" serves the HTML read
// from standard input; no input at all serves the embedded sample article.
package target

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/target/sample"
	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// SampleInput is the Input of the embedded sample's target.
const SampleInput = "sample:voa-macron-putin"

// A Resolver resolves inputs to targets and owns the loopback servers it
// starts. Close it when the run is over.
//
// Inputs are added one at a time (Add), so that the pages of a sitemap
// can be added as they are read: the resolver drops duplicates, stops
// taking pages at MaxPages, and keeps only the pages Keep wants.
type Resolver struct {
	// Stdin is read for the input "-"; nil means os.Stdin.
	Stdin io.Reader
	// MaxPages, when positive, is how many distinct pages the resolver
	// takes; once it has them it is Full, and takes no more.
	MaxPages int
	// Keep, when set, tells which pages to keep (a shard of the run). The
	// others still count against MaxPages and hold their place in the
	// input order (Target.Index).
	Keep func(audit.Target) bool

	servers map[string]*Server // by folder, one server each
	others  []*Server          // stdin and sample servers
	stdin   []byte
	seen    map[string]bool // the pages taken, kept or not
	taken   int
	targets []audit.Target // the pages kept
}

// Resolve adds each input (see Add), or the embedded sample when inputs
// is empty, and returns the targets kept so far.
func (r *Resolver) Resolve(inputs []string) ([]audit.Target, error) {
	if len(inputs) == 0 {
		t, err := r.Sample()
		if err != nil {
			return nil, err
		}
		r.take(t)
	}
	for _, in := range inputs {
		if err := r.Add(in); err != nil {
			return nil, err
		}
	}
	return r.Targets(), nil
}

// Add resolves one input to pages: a URL, an HTML file, each HTML file
// found in a folder (sorted), or the standard-input document for "-". An
// input that cannot be resolved becomes a target with Err set, so it is
// reported as failed while the others run. Pages seen before are dropped,
// first occurrence kept; so are all pages once the resolver is full. Its
// error is one that should stop the run ("-" given twice, a server that
// cannot start).
func (r *Resolver) Add(in string) error {
	if r.Full() {
		return nil
	}
	ts, err := r.resolveOne(in)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if r.Full() {
			break
		}
		r.take(t)
	}
	return nil
}

// take adds one page unless it was seen before.
func (r *Resolver) take(t audit.Target) {
	key := t.URL
	if t.Err != nil {
		key = "err:" + t.Input
	}
	if r.seen[key] {
		return
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[key] = true
	t.Index = r.taken
	r.taken++
	if r.Keep == nil || r.Keep(t) {
		r.targets = append(r.targets, t)
	}
}

// Full reports whether the resolver has taken MaxPages pages.
func (r *Resolver) Full() bool { return r.MaxPages > 0 && r.taken >= r.MaxPages }

// Taken returns how many distinct pages the resolver took, kept or not.
func (r *Resolver) Taken() int { return r.taken }

// Targets returns the pages kept, in the order they were added.
func (r *Resolver) Targets() []audit.Target { return r.targets }

// Sample returns the target of the embedded sample article.
func (r *Resolver) Sample() (audit.Target, error) {
	srv, err := ServeFS(sample.Files())
	if err != nil {
		return audit.Target{}, err
	}
	r.others = append(r.others, srv)
	return audit.Target{Input: SampleInput, URL: srv.URLFor(sample.Article)}, nil
}

func (r *Resolver) resolveOne(in string) ([]audit.Target, error) {
	failed := func(err error) []audit.Target {
		return []audit.Target{{Input: in, Err: &audit.LoadError{URL: in, Cause: audit.CauseInput, Err: err}}}
	}
	if in == "-" {
		if r.stdin != nil {
			return nil, errors.New(`"-" given twice: standard input can be read once`)
		}
		stdin := r.Stdin
		if stdin == nil {
			stdin = os.Stdin
		}
		doc, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read HTML from standard input: %w", err)
		}
		r.stdin = doc
		srv, err := ServeDocument(doc)
		if err != nil {
			return nil, err
		}
		r.others = append(r.others, srv)
		return []audit.Target{{Input: in, URL: srv.URL + "/"}}, nil
	}
	if u, err := url.Parse(in); err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		switch strings.ToLower(u.Scheme) {
		case "http", "https":
			// The user info is a login: it leaves the address, which
			// reports show, for the loader's basic auth.
			clean, creds := audit.SplitUserinfo(in)
			if creds != nil {
				audit.Protect(creds.Password)
			}
			if u.Host == "" {
				return []audit.Target{{Input: clean, Err: &audit.LoadError{URL: clean, Cause: audit.CauseInput, Err: fmt.Errorf("URL %q has no host", audit.Redact(in))}}}, nil
			}
			return []audit.Target{{Input: clean, URL: clean, BasicAuth: creds}}, nil
		case "file":
			return r.resolvePath(in, u.Path)
		default:
			return failed(fmt.Errorf("unsupported URL scheme %q (want http, https or a file path)", u.Scheme)), nil
		}
	}
	return r.resolvePath(in, in)
}

func (r *Resolver) resolvePath(in, path string) ([]audit.Target, error) {
	failed := func(err error) []audit.Target {
		return []audit.Target{{Input: in, Err: &audit.LoadError{URL: in, Cause: audit.CauseInput, Err: err}}}
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return failed(fmt.Errorf("no such file or folder: %s", termsafe.String(path))), nil
		}
		return failed(errors.New(termsafe.String(err.Error()))), nil
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return failed(notRegular(path, st.Mode())), nil
		}
		if !isHTMLFile(path) {
			return failed(fmt.Errorf("%s is not an .html file", termsafe.String(path))), nil
		}
		srv, err := r.serverFor(filepath.Dir(path))
		if err != nil {
			return nil, err
		}
		return []audit.Target{{Input: in, URL: srv.URLFor(filepath.Base(path))}}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != path && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && isHTMLFile(p) && isRegular(p, d) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return failed(fmt.Errorf("list %s: %s", termsafe.String(path), termsafe.String(err.Error()))), nil
	}
	if len(files) == 0 {
		return failed(fmt.Errorf("folder %s holds no .html files", termsafe.String(path))), nil
	}
	slices.Sort(files)
	srv, err := r.serverFor(path)
	if err != nil {
		return nil, err
	}
	var out []audit.Target
	for _, f := range files {
		rel, err := filepath.Rel(path, f)
		if err != nil {
			return nil, err
		}
		out = append(out, audit.Target{Input: f, URL: srv.URLFor(rel)})
	}
	return out, nil
}

// serverFor returns the server for a folder, starting it on first use.
func (r *Resolver) serverFor(dir string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if srv, ok := r.servers[abs]; ok {
		return srv, nil
	}
	srv, err := ServeDir(abs)
	if err != nil {
		return nil, err
	}
	if r.servers == nil {
		r.servers = map[string]*Server{}
	}
	r.servers[abs] = srv
	return srv, nil
}

// Close stops every server the resolver started.
func (r *Resolver) Close() error {
	var errs []error
	for _, s := range r.servers {
		errs = append(errs, s.Close())
	}
	for _, s := range r.others {
		errs = append(errs, s.Close())
	}
	r.servers, r.others = nil, nil
	return errors.Join(errs...)
}

// isRegular reports whether the folder entry d at p is a regular file, or
// a symbolic link to one: FIFOs and devices in a folder are never audited.
func isRegular(p string, d fs.DirEntry) bool {
	if d.Type().IsRegular() {
		return true
	}
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func isHTMLFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".html", ".htm", ".xhtml":
		return true
	}
	return false
}
