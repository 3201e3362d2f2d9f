package audit

import "testing"

func TestSplitUserinfo(t *testing.T) {
	clean, c := SplitUserinfo("https://ed:pa%40ss@staging.news.example/a?b=1")
	if clean != "https://staging.news.example/a?b=1" || c == nil || c.User != "ed" || c.Password != "pa@ss" {
		t.Fatalf("got %q, %+v", clean, c)
	}
	if c.String() != "ed:***" {
		t.Errorf("String() = %q", c.String())
	}
	if clean, c := SplitUserinfo("https://news.example/a@b"); c != nil || clean != "https://news.example/a@b" {
		t.Errorf("no user info: got %q, %+v", clean, c)
	}
}

func TestRedact(t *testing.T) {
	Protect("tok-redact-1", "ab")
	got := Redact(`load https://ed:pw@staging.example/a: sent tok-redact-1; "http://u@h/" ab mailto:x@y`)
	want := `load https://***@staging.example/a: sent ***; "http://***@h/" ab mailto:x@y`
	if got != want {
		t.Errorf("Redact:\n got %s\nwant %s", got, want)
	}
}
