package ci

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/newsa11y/newsa11y/audit/chrome/chrometest"
)

// root is the repository's root, from this package's folder.
const root = ".."

// run runs a command with extra environment and returns its output and
// exit status.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s: %v", name, err)
		}
		code = ee.ExitCode()
	}
	return string(out), code
}

func abs(t *testing.T, path string) string {
	t.Helper()
	p, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDockerfileFollowsTheLintRules(t *testing.T) {
	lint := abs(t, filepath.Join(root, "scripts", "lint-dockerfile.sh"))
	if out, code := run(t, root, nil, lint); code != 0 {
		t.Fatalf("the Dockerfile fails its lint (exit %d):\n%s", code, out)
	}
	// The linter finds what it says it checks.
	bad := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(bad, []byte("FROM golang\nFROM debian:latest\nRUN cd /x && make\nENTRYPOINT newsa11y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, root, nil, lint, bad)
	if code == 0 {
		t.Fatal("a Dockerfile that breaks the rules passes the lint")
	}
	for _, want := range []string{"FROM golang has no tag", "uses the latest tag", "RUN uses cd", "not in exec (JSON) form", "sets no USER", "stage 1 is not named"} {
		if !strings.Contains(out, want) {
			t.Errorf("the lint does not say %q:\n%s", want, out)
		}
	}
}

func TestDockerRuntimeStepResolves(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping apt's simulated install (seconds) in -short mode")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		t.Skip("no apt-get: the runtime step's packages cannot be resolved here")
	}
	if out, code := run(t, root, nil, abs(t, filepath.Join(root, "scripts", "docker", "runtime.sh")), "check"); code != 0 {
		t.Fatalf("runtime.sh check: exit %d\n%s", code, out)
	}
}

// TestDockerSteps runs the Dockerfile's build step and its entry point on
// a page as the image would (scripts/docker-steps.sh).
func TestDockerSteps(t *testing.T) {
	chrometest.ExecPath(t)
	if out, code := run(t, root, nil, abs(t, filepath.Join(root, "scripts", "docker-steps.sh"))); code != 0 {
		t.Fatalf("docker-steps.sh: exit %d\n%s", code, out)
	}
}

// action is what the tests read of action.yml.
type action struct {
	Runs struct {
		Using string
		Steps []struct {
			Name  string
			ID    string
			Uses  string
			Run   string
			Shell string
			If    string
			Env   map[string]string
			With  map[string]string
		}
	}
	Inputs  map[string]struct{ Default *string }
	Outputs map[string]struct{ Value string }
}

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

func TestActionFile(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	inputRef := regexp.MustCompile(`inputs\.([a-z-]+)`)
	scriptRun := regexp.MustCompile(`^"\$GITHUB_ACTION_PATH/(\.github/action/[a-z-]+\.sh)"$`)
	uploads := 0
	for _, s := range a.Runs.Steps {
		if s.Run != "" {
			// Shell steps are scripts CI can run, and take inputs only
			// through the environment, never pasted into the shell text.
			m := scriptRun.FindStringSubmatch(s.Run)
			if m == nil {
				t.Errorf("step %q runs %q; want one script of .github/action", s.Name, s.Run)
			} else if st, err := os.Stat(filepath.Join(root, m[1])); err != nil || st.Mode()&0o111 == 0 {
				t.Errorf("step %q: %s is not an executable script", s.Name, m[1])
			}
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
			}
		}
		var refs []string
		for _, v := range s.Env {
			refs = append(refs, v)
		}
		for _, v := range s.With {
			refs = append(refs, v)
		}
		refs = append(refs, s.If)
		for _, v := range refs {
			for _, m := range inputRef.FindAllStringSubmatch(v, -1) {
				if _, ok := a.Inputs[m[1]]; !ok {
					t.Errorf("step %q uses input %q, which action.yml does not declare", s.Name, m[1])
				}
			}
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads++
			if s.With["sarif_file"] != "${{ steps.audit.outputs.sarif }}" || !strings.Contains(s.If, "always()") {
				t.Errorf("the upload step does not upload the audit's SARIF whatever the audit found: %+v", s)
			}
		}
	}
	if uploads != 1 {
		t.Errorf("%d steps upload SARIF to code scanning, want 1", uploads)
	}
	if a.Inputs["fail-on"].Default == nil || *a.Inputs["fail-on"].Default != "serious" {
		t.Error("the fail-on input has no default of serious")
	}
}

var (
	buildOnce sync.Once
	buildDir  string
	builtBin  string
	buildOut  string
	buildErr  error
)

// TestMain removes the folder the action's install step built into.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// installByAction runs the action's install step once per test binary
// and returns the binary it built.
func installByAction(t *testing.T) string {
	t.Helper()
	chrometest.ExecPath(t)
	buildOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "newsa11y-ci-")
		if err != nil {
			buildErr = err
			return
		}
		buildDir = tmp
		pathFile := filepath.Join(tmp, "github_path")
		cmd := exec.Command(filepath.Join(root, ".github", "action", "install.sh"))
		cmd.Env = append(os.Environ(), "RUNNER_TEMP="+tmp, "GITHUB_PATH="+pathFile, "NEWSA11Y_VERSION=ci-test")
		out, err := cmd.CombinedOutput()
		buildOut = string(out)
		if err != nil {
			buildErr = err
			return
		}
		dirs, err := os.ReadFile(pathFile)
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(strings.TrimSpace(string(dirs)), "newsa11y")
	})
	if buildErr != nil {
		t.Fatalf("install.sh: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

// storyPage is a local page whose lead photo, on line 7, has no alt text.
const storyPage = `<!doctype html>
<html lang="en">
<head><title>A story</title></head>
<body>
<main>
<h1>A story</h1>
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='400' height='300'/%3E" width="400" height="300">
</main>
</body>
</html>
`

// cleanPage has nothing for newsa11y to report at serious or worse.
const cleanPage = `<!doctype html>
<html lang="en">
<head><title>A clean story</title></head>
<body>
<main>
<h1>A clean story</h1>
<p>Nothing to see.</p>
</main>
</body>
</html>
`

// workspace makes a folder holding site/story.html and site/clean.html.
func workspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "site"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"story.html": storyPage, "clean.html": cleanPage} {
		if err := os.WriteFile(filepath.Join(ws, "site", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// outputs reads a GITHUB_OUTPUT file.
func outputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		m[k] = v
	}
	return m
}

// TestActionStepsAgainstALocalPage runs the action's scripts as its steps
// run them, in a workspace holding a page with a missing alt text: the
// audit records exit 2 and a SARIF whose result sits on the image's line
// of the page, and the gate fails the job with it.
func TestActionStepsAgainstALocalPage(t *testing.T) {
	bin := installByAction(t)
	if out, code := run(t, root, nil, bin, "version"); code != 0 || !strings.Contains(out, "ci-test") {
		t.Errorf("the installed binary reports %q (exit %d)", out, code)
	}
	audit := abs(t, filepath.Join(root, ".github", "action", "audit.sh"))
	gate := abs(t, filepath.Join(root, ".github", "action", "gate.sh"))
	ws := workspace(t)
	step := func(targets, failOn string) (map[string]string, string) {
		outFile := filepath.Join(t.TempDir(), "output")
		summary := filepath.Join(t.TempDir(), "summary")
		out, code := run(t, ws, []string{
			"GITHUB_OUTPUT=" + outFile, "GITHUB_STEP_SUMMARY=" + summary, "NEWSA11Y_BIN=" + bin,
			"INPUT_TARGETS=" + targets, "INPUT_FAIL_ON=" + failOn, "INPUT_ARGS=--block-third-party\n--quiet\n", "INPUT_REPORTS_DIR=newsa11y-reports",
		}, audit)
		if code != 0 {
			t.Fatalf("audit.sh failed itself (exit %d); it must leave failing to the gate:\n%s", code, out)
		}
		sum, _ := os.ReadFile(summary)
		return outputs(t, outFile), string(sum) + out
	}

	got, log := step("  site/story.html\n\n", "serious")
	if got["exit-code"] != "2" || got["sarif"] != "newsa11y-reports/newsa11y.sarif" {
		t.Fatalf("outputs %v, want exit-code 2 and the SARIF's path\n%s", got, log)
	}
	if !strings.Contains(log, "img-alt-missing") {
		t.Errorf("neither the log nor the job summary names the finding:\n%s", log)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(ws, got["sarif"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sarif); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range sarif.Runs[0].Results {
		l := r.Locations[0].PhysicalLocation
		if r.RuleID == "img-alt-missing" && l.ArtifactLocation.URI == "site/story.html" && l.Region.StartLine == 7 {
			found = true
		}
	}
	if !found {
		t.Errorf("no img-alt-missing result at site/story.html line 7 in the SARIF:\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(ws, "newsa11y-reports", "newsa11y.junit.xml")); err != nil {
		t.Errorf("no JUnit report: %v", err)
	}
	if out, code := run(t, ws, []string{"EXIT_CODE=" + got["exit-code"], "INPUT_FAIL_ON=serious"}, gate); code != 2 || !strings.Contains(out, "::error::") {
		t.Errorf("the gate after findings: exit %d, want 2 with an error annotation\n%s", code, out)
	}

	// A clean page passes the gate.
	got, log = step("site/clean.html", "serious")
	if got["exit-code"] != "0" {
		t.Errorf("a clean page: outputs %v, want exit-code 0\n%s", got, log)
	}
	if out, code := run(t, ws, []string{"EXIT_CODE=0"}, gate); code != 0 {
		t.Errorf("the gate after a clean audit: exit %d\n%s", code, out)
	}

	// No target is a failure, not a pass; so is a missing status.
	got, _ = step("\n  \n", "serious")
	if got["exit-code"] != "1" || got["sarif"] != "" {
		t.Errorf("no targets: outputs %v, want exit-code 1 and no SARIF", got)
	}
	if _, code := run(t, ws, []string{"EXIT_CODE="}, gate); code != 1 {
		t.Errorf("the gate without a status: exit %d, want 1", code)
	}
}

// gitlabJob is what the tests read of the template's hidden job.
type gitlabJob struct {
	Image struct {
		Name       string
		Entrypoint []string
	}
	Variables map[string]string
	Script    []string
	Artifacts struct {
		When    string
		Paths   []string
		Reports map[string]string
	}
}

func readGitLab(t *testing.T) (gitlabJob, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("gitlab", "newsa11y.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the template: %v", err)
	}
	var jobs struct {
		Hidden gitlabJob `yaml:".newsa11y"`
	}
	if err := yaml.Unmarshal(data, &jobs); err != nil {
		t.Fatal(err)
	}
	return jobs.Hidden, doc
}

func TestGitLabTemplate(t *testing.T) {
	job, doc := readGitLab(t)
	concrete, _ := doc["newsa11y"].(map[string]any)
	if concrete == nil || concrete["extends"] != ".newsa11y" {
		t.Errorf("no job newsa11y extending .newsa11y: %v", doc["newsa11y"])
	}
	if job.Image.Name != "${NEWSA11Y_IMAGE}" || len(job.Image.Entrypoint) != 1 || job.Image.Entrypoint[0] != "" {
		t.Errorf("image %+v: want ${NEWSA11Y_IMAGE} with the entry point cleared, so the job's shell runs", job.Image)
	}
	// The reports GitLab reads are the ones newsa11y writes, and are
	// published whatever the audit found.
	reports := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(job.Variables["NEWSA11Y_REPORT"]), "\n") {
		format, path, _ := strings.Cut(line, "=")
		reports[format] = path
	}
	if job.Artifacts.Reports["junit"] == "" || job.Artifacts.Reports["junit"] != reports["junit"] ||
		job.Artifacts.Reports["codequality"] == "" || job.Artifacts.Reports["codequality"] != reports["codequality"] {
		t.Errorf("artifacts.reports %v do not match the reports written %v", job.Artifacts.Reports, reports)
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts.when = %q; a failing audit must still publish its reports", job.Artifacts.When)
	}
	if job.Variables["NEWSA11Y_FAIL_ON"] == "" {
		t.Error("the template sets no NEWSA11Y_FAIL_ON")
	}
}

// TestGitLabTemplateScript runs the template's script as the job's shell
// would, with its variables, in a project folder holding a page: the job
// fails with exit 2, and the reports GitLab reads are there, the Code
// Quality one placing the finding on the image's line.
func TestGitLabTemplateScript(t *testing.T) {
	bin := installByAction(t)
	job, _ := readGitLab(t)
	ws := workspace(t)
	env := []string{"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")}
	for k, v := range job.Variables {
		env = append(env, k+"="+v)
	}
	env = append(env, "NEWSA11Y_TARGETS=site/story.html", "NEWSA11Y_BLOCK_THIRD_PARTY=true", "NEWSA11Y_QUIET=true")
	script := "set -e\n" + strings.Join(job.Script, "\n")
	out, code := run(t, ws, env, "bash", "-c", script)
	if code != 2 {
		t.Fatalf("the job's script: exit %d, want 2\n%s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(ws, job.Artifacts.Reports["codequality"]))
	if err != nil {
		t.Fatal(err)
	}
	var issues []struct {
		CheckName string `json:"check_name"`
		Location  struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal(data, &issues); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, is := range issues {
		if is.CheckName == "img-alt-missing" && is.Location.Path == "site/story.html" && is.Location.Lines.Begin == 7 {
			found = true
		}
	}
	if !found {
		t.Errorf("no img-alt-missing issue at site/story.html line 7:\n%s", data)
	}
	junit, err := os.ReadFile(filepath.Join(ws, job.Artifacts.Reports["junit"]))
	if err != nil || !bytes.Contains(junit, []byte("<failure")) {
		t.Errorf("the JUnit report holds no failure (%v)", err)
	}
	// With no target the job fails rather than passing on nothing.
	env = append(env, "NEWSA11Y_TARGETS=")
	if out, code := run(t, ws, env, "bash", "-c", script); code != 1 {
		t.Errorf("the job's script with no target: exit %d, want 1\n%s", code, out)
	}
}
