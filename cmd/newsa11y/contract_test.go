package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/internal/testtime"
)

// The CLI contract of issue 16: one test (or one case) per row of the
// issue's table, named by the row. They run the binary without a browser:
// an input mistake must be refused before any browser would start, and
// the runs that audit use --static. NoBrowser in the environment makes a
// browser impossible to find, so a check that came after the browser's
// start would show up as "no browser" instead of its own message.
var noBrowser = []string{"PATH=/nonexistent", "CHROME_PATH="}

// timed is a run of the binary and how long it took.
type timed struct {
	result
	elapsed time.Duration
}

// runIn runs the binary in dir (the test's folder when empty) with stdin,
// extra environment and args, and times it.
func runIn(t *testing.T, dir, stdin string, env []string, args ...string) timed {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = binaryEnv(t, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := timed{elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

// inputMistake checks the contract for an input mistake: exit 1 in well
// under a second, nothing on stdout (no help), and one line on stderr
// holding each of want.
func inputMistake(t *testing.T, r timed, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != 1 || len(lines) != 1 || r.stdout != "" {
		t.Errorf("exit %d, want 1 with one line on stderr and nothing on stdout\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	if bound := testtime.Bound(time.Second); r.elapsed > bound {
		t.Errorf("took %v, want under %v", r.elapsed, bound)
	}
	t.Logf("new output: %s", strings.TrimSpace(r.stderr))
}

func clean(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "clean.html"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestContractRow01NoTargetIsAnError(t *testing.T) {
	inputMistake(t, runIn(t, t.TempDir(), "", noBrowser, "audit", "--fail-on", "serious"), "no page to audit", "--sample")
	inputMistake(t, runIn(t, t.TempDir(), "", noBrowser, "audit", "--fail-on", "serious", ""), "target 1 is empty")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--sample", clean(t)), "--sample audits the embedded sample alone")
	// In an interactive terminal, no target audits the sample, so that
	// the README's first command shows what newsa11y does.
	if r := runOnTerminal(t, noBrowser, "audit", "--static"); r.code != 2 || !strings.Contains(r.stdout, "img-alt-duplicates-caption") {
		t.Errorf("no target in a terminal: exit %d, want 2 with the sample's duplicated alt\nstdout: %s\nterminal: %s", r.code, r.stdout, r.terminal)
	}
	for _, args := range [][]string{{"audit", "--static", "--sample"}, {"demo", "--static"}} {
		r := runIn(t, t.TempDir(), "", noBrowser, args...)
		if r.code != 2 || !strings.Contains(r.stdout, "img-alt-duplicates-caption") {
			t.Errorf("%v: exit %d, want 2 with the sample's duplicated alt\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestContractRow02ShortFlagsAfterATarget(t *testing.T) {
	for _, flag := range []string{"-q", "-r", "-c", "--quiet"} {
		t.Run(flag, func(t *testing.T) {
			inputMistake(t, runIn(t, "", "", noBrowser, "audit", clean(t), flag), "flags go before the targets: "+flag+" comes after one")
		})
	}
}

func TestContractRow03ReportPathsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "-r", "json=/proc/x.json", clean(t)), "--report json=/proc/x.json: cannot write it")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "-r", "json="+dir, clean(t)), "--report json="+dir+": is a folder; want a file path")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--update-baseline", dir, clean(t)), "--update-baseline "+dir+": is a folder")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "-r", "json="+clean(t)+"/out.json", clean(t)), "cannot create its folder")
	// A missing parent folder is created, as pa11y-ci and Lighthouse CI do.
	out := filepath.Join(dir, "new", "sub", "a11y.json")
	if r := runIn(t, "", "", noBrowser, "audit", "--static", "-r", "json="+out, clean(t)); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

func TestContractRow04EmptyStandardInput(t *testing.T) {
	for _, in := range []string{"", " \n\t\n"} {
		inputMistake(t, runIn(t, "", in, noBrowser, "audit", "-"), "target - (standard input) is empty")
	}
}

func TestContractRow05BadSelector(t *testing.T) {
	for _, sel := range []string{"###", ".", "a >", "a,,b", "[href", "a)", "> a"} {
		t.Run(sel, func(t *testing.T) {
			inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--hide-elements", sel, clean(t)), `--hide-elements "`+sel+`": not a CSS selector`)
		})
	}
	inputMistake(t, runIn(t, "", "", append(noBrowser, "NEWSA11Y_HIDE_ELEMENTS=.ok\n###"), "audit", clean(t)), `NEWSA11Y_HIDE_ELEMENTS "###": not a CSS selector`)
}

func TestContractRow06Durations(t *testing.T) {
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--timeout", "-5s", clean(t)), `--timeout "-5s": want a positive duration`)
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--timeout", "30", clean(t)), `--timeout "30": want a duration with a unit, such as 30s`)
	inputMistake(t, runIn(t, "", "", append(noBrowser, "NEWSA11Y_TIMEOUT=30"), "audit", clean(t)), `NEWSA11Y_TIMEOUT "30": want a duration with a unit`)
	inputMistake(t, runIn(t, "", "", append(noBrowser, "NEWSA11Y_TIMEOUT=0s"), "audit", clean(t)), `NEWSA11Y_TIMEOUT "0s": want a positive duration`)
}

// writeConfig writes a configuration file in a new folder and returns the
// folder.
func writeConfig(t *testing.T, name, doc string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestContractRow07IgnoreOfAnUnknownRule(t *testing.T) {
	dir := writeConfig(t, ".newsa11y.yml", "ignore:\n  - rule: img-alt-missing\n    reason: logo\n  - rule: img-alt-mising\n    reason: typo\n")
	inputMistake(t, runIn(t, dir, "", noBrowser, "audit", clean(t)), `config .newsa11y.yml: line 4: ignore[1].rule "img-alt-mising": no such rule`)
}

func TestContractRow08RepeatableFlagsFromTheEnvironment(t *testing.T) {
	dir := t.TempDir()
	j, m := filepath.Join(dir, "a.json"), filepath.Join(dir, "a.md")
	r := runIn(t, "", "", append(noBrowser, "NEWSA11Y_REPORT=json="+j+"\nmarkdown="+m+"\n"), "audit", "--static", clean(t))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range []string{j, m} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("NEWSA11Y_REPORT with two lines: %v", err)
		}
	}
}

func TestContractRow09JSONConfigFromTheCommandLine(t *testing.T) {
	dir := writeConfig(t, ".newsa11y.json", "{\"defaults\": {\n  \"fail_on\": \"serious\",\n}}")
	inputMistake(t, runIn(t, dir, "", noBrowser, "audit", clean(t)), "config .newsa11y.json: line 2, column 24: JSON syntax error")
}

func TestContractRow10ConfigErrorsNameTheKey(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"defaults:\n  failon: serious\n", `config .newsa11y.yml: line 2: unknown key "defaults.failon" (known in defaults: reports, fail_on,`},
		{"defaults:\n  fail_on: urgent\n", `config .newsa11y.yml: line 2: defaults.fail_on "urgent": want critical, serious, moderate, minor or none`},
		{"defaults:\n  viewport: big\n", `config .newsa11y.yml: line 2: defaults.viewport "big": want WIDTHxHEIGHT`},
		{"defaults:\n  reports: [pdf=x.pdf]\n", `config .newsa11y.yml: line 2: defaults.reports "pdf=x.pdf": unknown report format "pdf"`},
	} {
		inputMistake(t, runIn(t, writeConfig(t, ".newsa11y.yml", c.doc), "", noBrowser, "audit", clean(t)), c.want)
	}
	// A flag or variable that overrides the file is named itself.
	dir := writeConfig(t, ".newsa11y.yml", "defaults:\n  fail_on: serious\n")
	inputMistake(t, runIn(t, dir, "", append(noBrowser, "NEWSA11Y_FAIL_ON=urgent"), "audit", clean(t)), `NEWSA11Y_FAIL_ON "urgent": want critical`)
}

// readmeConfig returns the README's configuration example.
func readmeConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, _ := strings.Cut(string(data), "\n## Configuration file\n")
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("no YAML example in the README's configuration section")
	}
	return m[1]
}

func TestContractRow11READMEConfigExampleRuns(t *testing.T) {
	dir := writeConfig(t, ".newsa11y.yml", readmeConfig(t))
	// The first run records the baseline the example names.
	r := runIn(t, dir, "", noBrowser, "audit", "--static", "--update-baseline", "a11y-baseline.json", clean(t))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r = runIn(t, dir, "", noBrowser, "audit", "--static", clean(t))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range []string{"out/a11y.sarif", "out/a11y.xml", "out/a11y.html", "out/a11y.md", "a11y-baseline.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Error(err)
		}
	}
}

// Row 12 is config.TestContractRow12READMEConfigMatchesTheParser.

func TestContractRow13BaselinesKeyPagesCanonically(t *testing.T) {
	work := t.TempDir()
	site := filepath.Join(work, "pages")
	if err := os.MkdirAll(filepath.Join(site, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{"duplicate.html": "a.html", "clean.html": "sub/b.html"} {
		if err := os.WriteFile(filepath.Join(site, dst), read(t, filepath.Join("testdata", src)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := runIn(t, work, "", noBrowser, "audit", "--static", "-q", "--fail-on", "none", "--update-baseline", "b.json", "pages/"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if b := string(read(t, filepath.Join(work, "b.json"))); !strings.Contains(b, `"page": "a.html"`) {
		t.Errorf("the baseline does not key the page by its folder-relative path:\n%s", b)
	}
	// The folder typed as an absolute path, or the file alone: known.
	for _, target := range []string{site, filepath.Join(site, "a.html"), "./pages/a.html"} {
		r := runIn(t, work, "", noBrowser, "audit", "--static", "-q", "--baseline", "b.json", target)
		if r.code != 0 || !strings.Contains(r.stdout, "0 new, 1 known") {
			t.Errorf("%s: exit %d, want 0 with the finding known\n%s\n%s", target, r.code, r.stdout, r.stderr)
		}
	}
	// A baseline that matches none of the run's pages says so.
	other := filepath.Join(work, "other.html")
	if err := os.WriteFile(other, read(t, filepath.Join("testdata", "clean.html")), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, work, "", noBrowser, "audit", "--static", "-q", "--baseline", "b.json", other)
	if !strings.Contains(r.stderr, "warning: the baseline matches none of this run's pages") {
		t.Errorf("no warning for a baseline that matches no page:\n%s", r.stderr)
	}
	// A baseline written before page identities matches as before, by
	// the page as typed.
	var old map[string]any
	if err := json.Unmarshal(read(t, filepath.Join(work, "b.json")), &old); err != nil {
		t.Fatal(err)
	}
	for _, e := range old["findings"].([]any) {
		delete(e.(map[string]any), "page")
	}
	data, _ := json.Marshal(old)
	if err := os.WriteFile(filepath.Join(work, "old.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runIn(t, work, "", noBrowser, "audit", "--static", "-q", "--baseline", "old.json", "pages/"); r.code != 0 || !strings.Contains(r.stdout, "0 new, 1 known") {
		t.Errorf("an old baseline: exit %d\n%s", r.code, r.stdout)
	}
}

func TestContractRow14FailOnAppliesToReviews(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "review.html")
	html := strings.Replace(string(read(t, filepath.Join("testdata", "site", "story-1.html"))), "<h1>Story 1</h1>", "<h1>Story 1</h1><h3>A skipped level</h3>", 1)
	html = strings.Replace(html, `<img src="logo.svg"`, `<img alt="The Daily Example" src="logo.svg"`, 1)
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	// The page's one finding is a moderate review (heading-level-skip).
	for _, c := range []struct {
		gate string
		want int
	}{{"critical", 0}, {"serious", 0}, {"moderate", 2}, {"minor", 2}, {"none", 2}} {
		r := runIn(t, "", "", noBrowser, "audit", "--static", "--fail-on", c.gate, "--fail-on-review", page)
		if r.code != c.want || !strings.Contains(r.stdout, "review    moderate heading-level-skip") {
			t.Errorf("--fail-on %s --fail-on-review: exit %d, want %d\n%s", c.gate, r.code, c.want, r.stdout)
		}
	}
}

func TestContractRow15ResultsOfTheWrongKind(t *testing.T) {
	dir := t.TempDir()
	sarif, garbage, junit := filepath.Join(dir, "all.sarif"), filepath.Join(dir, "g.jsonl"), filepath.Join(dir, "a.xml")
	os.WriteFile(sarif, []byte(`{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": []}`), 0o644)
	os.WriteFile(garbage, []byte("{\"garbage\":true}\n"), 0o644)
	os.WriteFile(junit, []byte("<?xml version=\"1.0\"?>\n<testsuites/>\n"), 0o644)
	inputMistake(t, runIn(t, "", "", noBrowser, "report", "--from", sarif), "--from "+sarif+": a SARIF report", "want the JSON report (--report json=FILE)")
	inputMistake(t, runIn(t, "", "", noBrowser, "merge", junit), "merge "+junit+": an XML or HTML file")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--static", "--resume", garbage, clean(t)), "--resume "+garbage+`: line 1 is not a page of a newsa11y stream`)
	if got := string(read(t, garbage)); got != "{\"garbage\":true}\n" {
		t.Errorf("the refused stream was changed: %q", got)
	}
}

func TestContractRow16SitemapThatIsNotXML(t *testing.T) {
	list := filepath.Join(t.TempDir(), "urls.txt")
	os.WriteFile(list, []byte("https://news.example/a\nhttps://news.example/b\n"), 0o644)
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--sitemap", list), "--sitemap "+list+`: not XML (it begins "https://news.example/a")`, "goes to --urls")
	inputMistake(t, runIn(t, "", "", noBrowser, "audit", "--feed", list), "--feed "+list+": not XML")
}

func TestContractRow17UsageErrorsWithoutHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--no-such-flag", clean(t)}, `unknown flag --no-such-flag; "newsa11y help audit" lists the flags`},
		{[]string{"audit", "--concurrency", "many", clean(t)}, `--concurrency "many": want a whole number`},
		{[]string{"audit", "-c", "many", clean(t)}, `-c "many": want a whole number`},
		{[]string{"audit", "--fail-on", "bad", clean(t)}, `--fail-on "bad": want critical, serious, moderate, minor or none`},
		{[]string{"audit", "--timeout"}, `--timeout needs a value`},
		{[]string{"--no-such-flag"}, `unknown flag --no-such-flag`},
		{[]string{"report", "--from", "x.json", "--bogus"}, `unknown flag --bogus; "newsa11y help report" lists the flags`},
		{[]string{"merge", "-q", "x.json"}, `unknown flag -q; "newsa11y help merge" lists the flags`},
	} {
		inputMistake(t, runIn(t, "", "", noBrowser, c.args...), c.want)
	}
	inputMistake(t, runIn(t, "", "", append(noBrowser, "NEWSA11Y_STATIC=yes"), "audit", clean(t)), `NEWSA11Y_STATIC "yes": want true or false`)
	// Help is printed on request.
	if r := runIn(t, "", "", noBrowser, "audit", "--help"); r.code != 0 || !strings.Contains(r.stdout, "--fail-on-review") {
		t.Errorf("audit --help: exit %d\n%s", r.code, r.stdout)
	}
}

func TestContractRow18Version(t *testing.T) {
	flag := runIn(t, "", "", noBrowser, "--version")
	cmd := runIn(t, "", "", noBrowser, "version")
	if flag.code != 0 || cmd.code != 0 || flag.stdout != cmd.stdout {
		t.Fatalf("--version: exit %d %q; version: exit %d %q %s", flag.code, flag.stdout, cmd.code, cmd.stdout, cmd.stderr)
	}
	// The version is the build's: its module version, which Go stamps
	// from the revision in a clone; else its VCS revision; else "dev"
	// (-buildvcs=false and Git worktrees record neither).
	info, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "dev"
	if m := regexp.MustCompile(`(?m)^\tmod\t\S+\t(\S+)`).FindSubmatch(info); m != nil && string(m[1]) != "(devel)" {
		want = string(m[1]) // Go 1.24 and later stamp a version made from the revision
	} else if m := regexp.MustCompile(`vcs\.revision=([0-9a-f]{12})`).FindSubmatch(info); m != nil {
		want = string(m[1])
		if bytes.Contains(info, []byte("vcs.modified=true")) {
			want += "-dirty"
		}
	}
	if flag.stdout != "newsa11y version "+want+"\n" {
		t.Errorf("--version printed %q, want the build's %q", flag.stdout, want)
	}
	t.Logf("new output: %s", strings.TrimSpace(flag.stdout))
}

func TestContractRow19FirstRateIsSane(t *testing.T) {
	site := t.TempDir()
	const pages = 12
	for i := range pages {
		if err := os.WriteFile(filepath.Join(site, "p"+strconv.Itoa(i)+".html"), read(t, filepath.Join("testdata", "clean.html")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	r := runOnTerminal(t, nil, "audit", "--static", "-c", "1", "--fail-on", "none", "--report", "json="+filepath.Join(t.TempDir(), "r.json"), site)
	elapsed := time.Since(start)
	shown := r.terminal
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, shown)
	}
	if !strings.Contains(shown, "auditing") {
		t.Fatalf("no progress bar on the terminal:\n%q", shown)
	}
	// Every rate shown must be no more than twice the run's own average:
	// the first one, measured over the first page alone, once read
	// 141583 pages/s.
	most := 2 * float64(pages) / elapsed.Seconds()
	for _, m := range regexp.MustCompile(`([0-9.]+) pages/s`).FindAllStringSubmatch(shown, -1) {
		if rate, _ := strconv.ParseFloat(m[1], 64); rate > most {
			t.Errorf("the progress showed %s pages/s; the run averaged %.1f", m[1], float64(pages)/elapsed.Seconds())
		}
	}
}
