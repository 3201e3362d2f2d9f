package sourceline

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

const page = `<!doctype html>
<html lang="en">
<head><title>t</title>
<script>var s = "<img src='/fake.svg'>";
</script>
</head>
<body>
<header><a href="/"><img src="/logo.svg"></a></header>
<!-- <img src="/commented.svg"> -->
<main id="main">
  <figure>
    <img
      src="/assets/photo.svg"
      alt="Emmanuel   Macron
           and Vladimir Putin">
    <figcaption>Emmanuel Macron and Vladimir Putin</figcaption>
  </figure>
  <img src="/assets/dot.svg" alt=""><img src="/assets/dot.svg" alt="">
  <p><img src="/assets/icon.svg"></p>
  <p><img src="/assets/icon.svg"></p>
  <h2 id="sub">Sub</h2>
</main>
</body>
</html>
`

func TestFind(t *testing.T) {
	tags := Tags([]byte(page))
	for _, c := range []struct {
		name, selector, snippet string
		want                    int
	}{
		{"a tag found by its snippet", "header > a > img", `<img src="/logo.svg">`, 8},
		{"the line a tag spread over several lines starts on", "figure > img", `<img src="/assets/photo.svg" alt="Emmanuel Macron and Vladimir Putin">`, 12},
		{"a lone #id selector", "#sub", `<h2 id="sub">`, 21},
		{"identical tags on one line", "main > img:nth-of-type(2)", `<img src="/assets/dot.svg" alt="">`, 18},
		{"identical tags on two lines are ambiguous", "main > p:nth-of-type(2) > img", `<img src="/assets/icon.svg">`, 0},
		{"an attribute a script added is not in the source", "header > a > img", `<img src="/logo.svg" alt="Logo">`, 0},
		{"a snippet cut in its last attribute", "figure > img", `<img src="/assets/photo.svg" alt="Emmanuel Mac`, 12},
		{"a value cut with an ellipsis", "figure > img", `<img src="/assets/photo.svg" alt="Emmanuel Macron and…">`, 12},
		{"text inside a script is not a tag", "img", `<img src="/fake.svg">`, 0},
		{"a comment is not a tag", "img", `<img src="/commented.svg">`, 0},
		{"an element in a shadow tree", "#host >>> img", `<img src="/logo.svg">`, 0},
	} {
		if got := Find(tags, c.selector, c.snippet); got != c.want {
			t.Errorf("%s: line %d, want %d", c.name, got, c.want)
		}
	}
}

func TestFillReadsLocalFilesOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "story.html")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	finding := func() audit.Finding {
		return audit.Finding{Rule: "img-alt-missing", Selector: "header > a > img", Snippet: `<img src="/logo.svg">`}
	}
	r := &audit.Report{Pages: []audit.PageResult{
		{URL: path, Findings: []audit.Finding{finding()}},
		{URL: "file://" + filepath.ToSlash(path), Findings: []audit.Finding{finding()}},
		{URL: "https://news.example/story.html", Findings: []audit.Finding{finding()}},
		{URL: "-", Findings: []audit.Finding{finding()}},
		{URL: filepath.Join(dir, "gone.html"), Findings: []audit.Finding{finding()}},
		{URL: filepath.Join(dir, "fifo.html"), Findings: []audit.Finding{finding()}},
	}}
	// A FIFO is refused without waiting for a writer.
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { Fill(r); close(done) }()
	select {
	case <-done:
	case <-time.After(testtime.Bound(10 * time.Second)):
		t.Fatal("Fill blocks on a FIFO")
	}
	for i, want := range []int{8, 8, 0, 0, 0, 0} {
		if got := r.Pages[i].Findings[0].Line; got != want {
			t.Errorf("page %s: line %d, want %d", r.Pages[i].URL, got, want)
		}
	}
}
