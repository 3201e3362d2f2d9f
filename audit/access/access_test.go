package access

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

func TestParseHeader(t *testing.T) {
	h, err := ParseHeader("X-Preview-Token:  s3cret value ")
	if err != nil || h.Name != "X-Preview-Token" || h.Value != "s3cret value" {
		t.Fatalf("got %+v, %v", h, err)
	}
	for _, bad := range []string{"X-Token s3cretvalue", "Bad Name: s3cretvalue", ": s3cretvalue", "Host: s3cretvalue"} {
		_, err := ParseHeader(bad)
		if err == nil || strings.Contains(err.Error(), "s3cretvalue") {
			t.Errorf("%q: err = %v, want an error that does not show the value", bad, err)
		}
	}
}

func TestParseStateNetscape(t *testing.T) {
	doc := "# Netscape HTTP Cookie File\n\n.news.example\tTRUE\t/\tTRUE\t0\tsid\tabc123\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t1900000000\tsession\tzyx987\r\n"
	s, err := ParseState([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cookies) != 2 {
		t.Fatalf("cookies: %+v", s.Cookies)
	}
	a, b := s.Cookies[0], s.Cookies[1]
	if a.Domain != ".news.example" || a.HostOnly() || !a.Secure || a.Name != "sid" || a.Value != "abc123" {
		t.Errorf("first: %+v", a)
	}
	if b.Domain != "127.0.0.1" || !b.HostOnly() || !b.HTTPOnly || b.Expires != 1900000000 || b.URL() != "http://127.0.0.1/" {
		t.Errorf("second: %+v (url %s)", b, b.URL())
	}
	for _, bad := range []string{"news.example TRUE / TRUE 0 sid topsecret", "x\tMAYBE\t/\tTRUE\t0\tsid\ttopsecret", "", "# only a comment\n"} {
		_, err := ParseState([]byte(bad))
		if err == nil || strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

func TestParseStatePlaywright(t *testing.T) {
	doc := `{"cookies":[{"name":"sid","value":"abc123","domain":"127.0.0.1","path":"/","expires":-1,"httpOnly":true,"secure":false,"sameSite":"Lax"}],
	"origins":[{"origin":"http://127.0.0.1:8080","localStorage":[{"name":"token","value":"tok-42"}]}]}`
	s, err := ParseState([]byte("\n  " + doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cookies) != 1 || !s.Cookies[0].HostOnly() || s.Cookies[0].SameSite != "Lax" || len(s.Origins) != 1 || s.Origins[0].LocalStorage[0].Value != "tok-42" {
		t.Errorf("got %+v", s)
	}
	for _, bad := range []string{`{"cookies":[{"value":"topsecret","domain":"x"}]}`, `{"cookies":[`, `{"origins":[{"origin":"ftp://x","localStorage":[]}]}`} {
		_, err := ParseState([]byte(bad))
		if err == nil || strings.Contains(err.Error(), "topsecret") {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
}

func TestGatesFor(t *testing.T) {
	gs := &Gates{
		All: Gate{Headers: []Header{{"X-A", "1"}, {"X-B", "2"}}},
		Rules: []Rule{
			{Pattern: "https://staging.example/*", Gate: Gate{Headers: []Header{{"x-b", "3"}}, BasicAuth: &audit.Credentials{User: "u", Password: "p"}}},
			{Pattern: "https://other.example/*", Gate: Gate{BasicAuth: &audit.Credentials{User: "o", Password: "q"}}},
		},
	}
	g := gs.For("https://staging.example/story")
	if len(g.Headers) != 2 || g.Headers[1].Value != "3" || g.BasicAuth == nil || g.BasicAuth.User != "u" {
		t.Errorf("staging: %+v", g)
	}
	g = gs.For("https://news.example/story")
	if len(g.Headers) != 2 || g.Headers[1].Value != "2" || g.BasicAuth != nil {
		t.Errorf("production: %+v", g)
	}
	if (&Gates{}).For("x").Empty() != true || gs.Empty() {
		t.Error("Empty")
	}
}
