package static_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/static"
)

func TestLoad(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write([]byte("<title>Caf\xe9</title><p>x</p>"))
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	l := &static.Loader{}
	load := func(path string) (*audit.Page, error) {
		return l.Load(context.Background(), audit.Target{URL: srv.URL + path}, audit.CapDOM)
	}

	p, err := load("/redirect")
	if err != nil {
		t.Fatal(err)
	}
	if p.Facts.Title != "Café" || p.Status != 200 || p.FinalURL != srv.URL+"/ok" || p.Captured != audit.CapDOM || p.Loader != "static" {
		t.Errorf("page: title %q status %d final %s captured %s loader %s", p.Facts.Title, p.Status, p.FinalURL, p.Captured, p.Loader)
	}
	for path, cause := range map[string]audit.LoadCause{
		"/missing": audit.CauseHTTPStatus,
		"/pdf":     audit.CauseNotHTML,
	} {
		_, err := load(path)
		var le *audit.LoadError
		if !errors.As(err, &le) || le.Cause != cause {
			t.Errorf("%s: err = %v, want cause %s", path, err, cause)
		}
	}
	srv.Close()
	_, err = load("/ok")
	var le *audit.LoadError
	if !errors.As(err, &le) || le.Cause != audit.CauseNetwork {
		t.Errorf("closed server: err = %v, want a network LoadError", err)
	}
}

func TestParseKeepsCommentsAndTemplates(t *testing.T) {
	p, err := static.Parse(strings.NewReader(`<!DOCTYPE html><p>a<!-- note --></p><template><img src="x"></template>`), "u")
	if err != nil {
		t.Fatal(err)
	}
	var comments, imgs int
	for i := range p.Nodes {
		if p.Nodes[i].Kind == audit.CommentNode && p.Nodes[i].Data == " note " {
			comments++
		}
	}
	imgs = len(p.ElementsByTag("img"))
	if comments != 1 || imgs != 1 {
		t.Errorf("comments %d, imgs %d; want 1, 1", comments, imgs)
	}
	if p.Nodes[0].Kind != audit.DocumentNode || p.DocumentElement() == audit.NoNode || p.Body() == audit.NoNode {
		t.Error("tree has no document, html or body")
	}
}
