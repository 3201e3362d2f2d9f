package chrometest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// A HeldSite serves numbered story pages for tests that need pages in
// flight: /open/N answers at once, /held/N only once the test calls
// Release, and /photo.svg is a picture the stories may show.
type HeldSite struct {
	*httptest.Server
	release chan struct{}
	once    sync.Once

	mu      sync.Mutex
	arrived int
}

// NewHeldSite starts a HeldSite, closed when the test ends, whose pages
// are story with the page's number for %[1]s.
func NewHeldSite(tb testing.TB, story string) *HeldSite {
	s := &HeldSite{release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/photo.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="teal"/></svg>`)
	})
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, story, r.PathValue("n"))
	}
	mux.HandleFunc("/open/{n}", page)
	mux.HandleFunc("/held/{n}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.arrived++
		s.mu.Unlock()
		select {
		case <-s.release:
		case <-r.Context().Done():
			return
		}
		page(w, r)
	})
	s.Server = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Pages returns the addresses of stories 1 to n under prefix ("open" or
// "held").
func (s *HeldSite) Pages(prefix string, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%s/%s/%d", s.URL, prefix, i+1))
	}
	return out
}

// WaitArrived waits until n held pages were asked for, and fails the test
// if they are not within a minute (stretched by the time scale).
func (s *HeldSite) WaitArrived(tb testing.TB, n int) {
	tb.Helper()
	deadline := time.Now().Add(testtime.Bound(60 * time.Second))
	for time.Now().Before(deadline) {
		s.mu.Lock()
		got := s.arrived
		s.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("fewer than %d held pages were asked for", n)
}

// Release lets the held pages answer, those waiting and those to come.
func (s *HeldSite) Release() { s.once.Do(func() { close(s.release) }) }
