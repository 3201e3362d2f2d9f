package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
	"github.com/newsa11y/newsa11y/internal/testtime"
)

// binary is the newsa11y executable built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "newsa11y-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "newsa11y")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build newsa11y: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// binaryEnv is the environment the binary runs in: this process's, the
// page load timeout's default of 30 s stretched by the machine's time
// scale (every page these tests load without a --timeout of their own is
// expected to load), then extra.
func binaryEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	testtime.Log(t)
	env := os.Environ()
	if os.Getenv("NEWSA11Y_TIMEOUT") == "" {
		env = append(env, "NEWSA11Y_TIMEOUT="+testtime.Bound(30*time.Second).String())
	}
	return append(env, extra...)
}

// run runs the binary with args and optional standard input.
func run(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = binaryEnv(t, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errOut.String()}
}

// needChrome skips in the fast tier (-short), and when no browser is
// available to the binary (failing instead under
// NEWSA11Y_REQUIRE_CHROME=1).
func needChrome(t *testing.T) {
	t.Helper()
	chrometest.ExecPath(t)
}

func TestSampleExitsTwoWithTheDuplicatedAlt(t *testing.T) {
	needChrome(t)
	r := run(t, "", nil, "audit", "--sample")
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "img-alt-duplicates-caption") || !strings.Contains(r.stdout, "#lead-photo") {
		t.Errorf("the sample's duplicated alt is not reported:\n%s", r.stdout)
	}
	if r := run(t, "", nil, "audit", "--sample", "--fail-on", "none"); r.code != 0 {
		t.Errorf("--fail-on none: exit %d, want 0", r.code)
	}
	if r := run(t, "", nil, "audit", "--sample", "--fail-on", "critical"); r.code != 0 {
		t.Errorf("--fail-on critical with a moderate violation: exit %d, want 0", r.code)
	}
}

func TestCleanPageExitsZero(t *testing.T) {
	needChrome(t)
	r := run(t, "", nil, "audit", filepath.Join("testdata", "clean.html"))
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "no problems found") {
		t.Errorf("stdout: %s", r.stdout)
	}
	if !strings.HasSuffix(r.stdout, "verdict: passed: no violation at minor or worse\n") {
		t.Errorf("the text report does not end with the verdict: %s", r.stdout)
	}
}

func TestSeveralReportsAndStdin(t *testing.T) {
	needChrome(t)
	dir := t.TempDir()
	page, err := os.ReadFile(filepath.Join("testdata", "duplicate.html"))
	if err != nil {
		t.Fatal(err)
	}
	jsonPath, htmlPath := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.html")
	r := run(t, string(page), nil, "audit", "--report", "json="+jsonPath, "--report", "html="+htmlPath, "--report", "text", "-", filepath.Join("testdata", "clean.html"))
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\nstderr: %s", r.code, r.stderr)
	}
	var rep struct {
		Pages []struct {
			URL      string
			Findings []struct{ Rule, Selector string }
		}
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Pages) != 2 || rep.Pages[0].URL != "-" || len(rep.Pages[0].Findings) != 1 || rep.Pages[0].Findings[0].Selector != "#photo" || len(rep.Pages[1].Findings) != 0 {
		t.Errorf("JSON report: %+v", rep.Pages)
	}
	if html, err := os.ReadFile(htmlPath); err != nil || !bytes.Contains(html, []byte("Alt text must not repeat")) {
		t.Errorf("HTML report missing or incomplete: %v", err)
	}
	if !strings.Contains(r.stdout, "2 pages audited") {
		t.Errorf("text report on stdout: %s", r.stdout)
	}
	// Every format states why the exit status is 2.
	const why = "failed (exit 2): 1 violation at minor or worse (--fail-on minor)"
	if !strings.HasSuffix(r.stdout, "verdict: "+why+"\n") {
		t.Errorf("the text report does not end with the verdict %q: %s", why, r.stdout)
	}
	if html, _ := os.ReadFile(htmlPath); !bytes.Contains(html, []byte("(exit 2): 1 violation at minor or worse")) {
		t.Error("the HTML report does not state the verdict")
	}
	if !bytes.Contains(data, []byte(`"verdict": {`)) || !bytes.Contains(data, []byte(`"exit": 2`)) {
		t.Error("the JSON report has no verdict with exit 2")
	}
}

func TestFailuresExitOne(t *testing.T) {
	needChrome(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL + "/story"
	closed.Close()
	cases := []struct {
		name, stderr string
		args         []string
	}{
		{"missing file", "no such file or folder", []string{"audit", "testdata/no-such-page.html"}},
		{"unreachable URL", "ERR_CONNECTION_REFUSED", []string{"audit", gone}},
		{"one bad page among good ones", "no such file", []string{"audit", "testdata/clean.html", "testdata/nope.html"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", nil, c.args...)
			if r.code != 1 || !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("exit %d, want 1 with %q on stderr\nstderr: %s", r.code, c.stderr, r.stderr)
			}
			if !strings.Contains(r.stdout, "FAILED") {
				t.Errorf("the report does not show the failed page:\n%s", r.stdout)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		env    []string
		stderr string
	}{
		{"unknown flag", []string{"audit", "--no-such-flag"}, nil, "unknown flag --no-such-flag"},
		{"bad gate", []string{"audit", "--fail-on", "bad"}, nil, `--fail-on "bad": want critical`},
		{"bad format", []string{"audit", "--report", "pdf"}, nil, "unknown report format"},
		{"two reports on stdout", []string{"audit", "--report", "json", "--report", "text"}, nil, "only one report"},
		{"report folder that cannot be made", []string{"audit", "--sample", "--report", "json=testdata/clean.html/out.json"}, nil, "cannot create its folder"},
		{"browser path that does not exist", []string{"audit", "--sample", "--chrome-path", "/no/such/chrome"}, nil, "--chrome-path"},
		{"no browser at all", []string{"audit", "--sample"}, []string{"PATH=/nonexistent", "CHROME_PATH="}, "apt-get install chromium"},
		{"unknown rule", []string{"rules", "no-such-rule"}, nil, "no rule"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, "", c.env, c.args...)
			if r.code != 1 || !strings.Contains(r.stderr+r.stdout, c.stderr) {
				t.Errorf("exit %d, want 1 mentioning %q\nstdout: %s\nstderr: %s", r.code, c.stderr, r.stdout, r.stderr)
			}
		})
	}
}

func TestStaticLoaderNeedsNoBrowser(t *testing.T) {
	r := run(t, "", []string{"PATH=/nonexistent", "CHROME_PATH="}, "audit", "--static", "testdata/duplicate.html")
	if r.code != 2 || !strings.Contains(r.stdout, "img-alt-duplicates-caption") {
		t.Errorf("exit %d, want 2 with the duplicated alt\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

func TestRulesCommand(t *testing.T) {
	r := run(t, "", nil, "rules")
	for _, id := range []string{"img-alt-missing", "img-alt-duplicates-caption", "skip-link-target-exists", "heading-level-skip", "page-has-h1"} {
		if !strings.Contains(r.stdout, id) {
			t.Errorf("rules does not list %s", id)
		}
	}
	r = run(t, "", nil, "rules", "img-alt-duplicates-caption")
	if r.code != 0 || !strings.Contains(r.stdout, "Fails:") || !strings.Contains(r.stdout, "figcaption") {
		t.Errorf("rules ID: exit %d\n%s", r.code, r.stdout)
	}
}
