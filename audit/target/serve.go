package target

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A Server serves one folder, or one in-memory document, over HTTP on the
// loopback interface, so a browser loads local pages as it would from a
// site: relative and root-absolute asset URLs resolve inside the folder.
//
// It serves only what is inside its root: paths that climb out with "..",
// and symbolic links that point outside the root, are refused. So are
// dotfiles and dot-folders (.env, .git/config), which a saved site's folder
// may hold and the audited page could read and send on, and anything that
// is not a regular file. It answers only requests addressed to its own
// host, 127.0.0.1:PORT or localhost:PORT, so that a page cannot reach it
// under another name (DNS rebinding).
type Server struct {
	// URL is the server's base address, e.g. "http://127.0.0.1:43121".
	URL string

	hosts   [2]string // the Host headers it answers
	root    string    // an OS folder, absolute and with symlinks resolved; or ""
	fsys    fs.FS     // an in-memory tree when root is ""
	doc     []byte    // a single document served at "/" when both are empty
	srv     *http.Server
	stopped chan struct{}
}

// ServeDir starts a server rooted at the folder dir.
func ServeDir(dir string) (*Server, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	return start(&Server{root: real})
}

// ServeFS starts a server over an in-memory file tree, such as the
// embedded sample.
func ServeFS(fsys fs.FS) (*Server, error) { return start(&Server{fsys: fsys}) }

// ServeDocument starts a server that answers "/" with the HTML document
// doc and every other path with 404.
func ServeDocument(doc []byte) (*Server, error) { return start(&Server{doc: doc}) }

func start(s *Server) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.URL = "http://" + addr.String()
	s.hosts = [2]string{addr.String(), "localhost:" + strconv.Itoa(addr.Port)}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.stopped = make(chan struct{})
	go func() {
		defer close(s.stopped)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// Close stops the server and waits for it to finish.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	<-s.stopped
	return err
}

// URLFor returns the address of the file at rel, a slash-separated path
// relative to the root.
func (s *Server) URLFor(rel string) string {
	segs := strings.Split(filepath.ToSlash(rel), "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return s.URL + "/" + strings.Join(segs, "/")
}

// ServeHTTP serves GET and HEAD requests for files under the root.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.Host, s.hosts[0]) && !strings.EqualFold(r.Host, s.hosts[1]) {
		http.Error(w, "this server answers only "+s.hosts[0]+" and "+s.hosts[1], http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.doc != nil {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		serveBytes(w, r, "stdin.html", s.doc)
		return
	}
	// Refuse any path that tries to climb, before cleaning hides it, and
	// any dotfile or dot-folder.
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if seg == ".." {
			http.Error(w, "path outside the served folder", http.StatusForbidden)
			return
		}
		if strings.HasPrefix(seg, ".") {
			http.NotFound(w, r)
			return
		}
	}
	rel := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	data, name, err := s.read(rel)
	if errors.Is(err, errOutside) {
		http.Error(w, "path outside the served folder", http.StatusForbidden)
		return
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	serveBytes(w, r, name, data)
}

var errOutside = errors.New("path outside the served folder")

// hidden reports whether the slash-separated path rel has a segment that
// starts with a dot.
func hidden(rel string) bool {
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// read returns the bytes and the file name for rel, trying index.html for
// folders.
func (s *Server) read(rel string) ([]byte, string, error) {
	if s.fsys != nil {
		if rel == "" {
			rel = "."
		}
		if st, err := fs.Stat(s.fsys, rel); err == nil && st.IsDir() {
			rel = path.Join(rel, "index.html")
		}
		data, err := fs.ReadFile(s.fsys, rel)
		return data, path.Base(rel), err
	}
	full := filepath.Join(s.root, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, "", err
	}
	if real != s.root && !strings.HasPrefix(real, s.root+string(filepath.Separator)) {
		return nil, "", errOutside
	}
	// A symbolic link may lead to a dotfile inside the root.
	if inside, err := filepath.Rel(s.root, real); err != nil || hidden(filepath.ToSlash(inside)) {
		return nil, "", fs.ErrNotExist
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, "", err
	}
	if st.IsDir() {
		return s.read(path.Join(rel, "index.html"))
	}
	f, err := OpenRegular(real)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, filepath.Base(real), err
}

// serveBytes writes a file's bytes with a content type from its name. HTML
// that is valid UTF-8 is labelled so: saved pages are often re-encoded to
// UTF-8 while their meta tag still names the original encoding.
func serveBytes(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	ctype := contentType(name, data)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

func contentType(name string, data []byte) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		if utf8.Valid(data) {
			return "text/html; charset=utf-8"
		}
		return "text/html"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".pdf":
		return "application/pdf"
	}
	return http.DetectContentType(data)
}
