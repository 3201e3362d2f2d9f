package chrome

import "testing"

func TestSameSite(t *testing.T) {
	for _, c := range []struct {
		page, req string
		want      bool
	}{
		{"https://www.bbc.co.uk/news/a", "https://static.bbc.co.uk/x.html", true},
		{"https://www.bbc.co.uk/news/a", "https://BBC.co.uk/x.html", true},
		{"https://www.bbc.co.uk/news/a", "https://co.uk/x.html", false},
		{"https://www.bbc.co.uk/news/a", "https://notbbc.co.uk/x.html", false},
		{"https://www.bbc.co.uk/news/a", "http://widgets.outbrain.com/w.htm", false},
		{"http://127.0.0.1:4000/a.html", "http://127.0.0.1:5000/frame.html", true},
		{"http://127.0.0.1:4000/a.html", "http://localhost:5000/frame.html", true},
		{"http://127.0.0.1:4000/a.html", "http://127.0.0.2:5000/frame.html", false},
		{"http://127.0.0.1:4000/a.html", "http://example.com/frame.html", false},
		{"http://intranet/a.html", "http://intranet/b.html", true},
		{"http://intranet/a.html", "http://sub.intranet/b.html", false},
		{"https://WWW.BBC.CO.UK/news/a", "https://ads.example.co.uk/x.html", false},
		{"https://WWW.BBC.CO.UK/news/a", "https://static.bbc.co.uk/x.html", true},
		{"https://www.bbc.co.uk./news/a", "https://static.bbc.co.uk/x.html", true},
		{"https://www.bbc.co.uk/news/a", "https://STATIC.BBC.CO.UK./x.html", true},
		{"http://[::1]:4000/a.html", "http://[::1]:5000/frame.html", true},
		{"http://[::1]:4000/a.html", "http://[::2]:5000/frame.html", false},
		{"https://example.com/a", "about:blank", true},
		{"https://example.com/a", "data:text/html,hi", true},
	} {
		if got := sameSite(c.page, c.req); got != c.want {
			t.Errorf("sameSite(%q, %q) = %v, want %v", c.page, c.req, got, c.want)
		}
	}
}
