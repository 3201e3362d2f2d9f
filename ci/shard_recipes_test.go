package ci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/newsa11y/newsa11y/internal/sitegen"
)

// The recipes for sharded runs (ci/kubernetes, ci/gitlab's sharded
// template, ci/github) are read here as their engine reads them, and
// their commands run as the engine would run them: each shard with the
// variables the engine gives it, against newsa11y built from this tree,
// with --static (through NEWSA11Y_STATIC) so that no browser is needed,
// over a local site listed by a local sitemap. What cannot run here is
// said in docs/sharding.md: no cluster, no GitLab runner, no GitHub
// runner; their own steps (checkout, artifacts, the Job controller) are
// stood in for by copying files.

// buildNewsa11y builds newsa11y from this tree into a folder of its own
// and returns that folder, to put first on PATH.
func buildNewsa11y(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "newsa11y"), "../cmd/newsa11y").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// badPage is a story whose photo has no alt text: a critical violation,
// so that the gate of the recipes' merges has something to fail on.
const badPage = `<!DOCTYPE html><html lang="en"><head><title>A bad story</title></head>
<body><main><h1>A bad story</h1><img src="photo.svg" width="400" height="300"></main></body></html>`

// shardSite writes a workspace holding site/: n generated stories and
// the bad one, listed by site/sitemap.xml. It returns the workspace and
// the sitemap's path within it.
func shardSite(t *testing.T, n int) (string, string) {
	t.Helper()
	ws := t.TempDir()
	site := filepath.Join(ws, "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := sitegen.Write(site, n); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "story-bad.html"), []byte(badPage), 0o644); err != nil {
		t.Fatal(err)
	}
	locs := []string{"story-bad.html"}
	for i := 1; i <= n; i++ {
		locs = append(locs, fmt.Sprintf("story-%04d.html", i))
	}
	if err := os.WriteFile(filepath.Join(site, "sitemap.xml"), []byte(sitegen.URLSet(locs...)), 0o644); err != nil {
		t.Fatal(err)
	}
	return ws, "site/sitemap.xml"
}

// engineVars are variables of CI engines and of newsa11y that the
// machine running the tests may have set, and that would change what
// the recipes do: they are left out of the environment the recipes run
// in.
var engineVars = regexp.MustCompile(`^(NEWSA11Y_[A-Z_]*|JOB_COMPLETION_INDEX|CI_[A-Z_]*|GITLAB_[A-Z_]*|GITHUB_[A-Z_]*|RUNNER_[A-Z_]*)=`)

// baseEnv is this process's environment without engineVars, with the
// built newsa11y first on PATH.
func baseEnv(bin string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if engineVars.MatchString(kv) || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// withVars returns env with the variables of vars added, in a stable
// order.
func withVars(env []string, vars map[string]string) []string {
	env = slices.Clone(env)
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		env = append(env, k+"="+vars[k])
	}
	return env
}

// shell runs a script with a shell in dir and returns its output and
// exit status.
func shell(t *testing.T, dir string, env []string, sh, script string) (string, int) {
	t.Helper()
	cmd := exec.Command(sh, "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", sh, err)
	}
	return string(out), 0
}

// unsharded audits the workspace's sitemap in one run, as the recipes'
// shards and merge do but whole, under --fail-on serious, which the bad
// story fails (exit 2), and returns the JSON report.
func unsharded(t *testing.T, bin, ws, sitemap string, extra ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "whole.json")
	env := append(baseEnv(bin), "NEWSA11Y_STATIC=true", "NEWSA11Y_QUIET=true")
	args := append([]string{"audit", "--fail-on", "serious", "--sitemap", sitemap, "--report", "json=" + out}, extra...)
	cmd := exec.Command(filepath.Join(bin, "newsa11y"), args...)
	cmd.Dir, cmd.Env = ws, env
	outText, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 2 {
		t.Fatalf("the unsharded run: exit %d, want 2 (the bad story's missing alt text)\n%s", code, outText)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// comparable is a JSON report as the comparisons of merged and whole
// runs read it: its pages, template findings and verdict, keys sorted.
func comparable(t *testing.T, data []byte) string {
	t.Helper()
	var rep map[string]any
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(map[string]any{"pages": rep["pages"], "template_findings": rep["template_findings"], "verdict": rep["verdict"]}, "", " ")
	return string(out)
}

// checkStreams checks that the shards' streams hold disjoint pages that
// together are the whole run's, each page recording its shard i of n.
func checkStreams(t *testing.T, streams map[int]string, n int, whole []byte) {
	t.Helper()
	owner := map[string]int{}
	for i, path := range streams {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		for line := range bytes.SplitSeq(bytes.TrimSpace(data), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var p struct {
				URL   string
				Shard struct{ Index, Count int }
			}
			if err := json.Unmarshal(line, &p); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if prev, ok := owner[p.URL]; ok {
				t.Errorf("%s is audited by shards %d and %d", p.URL, prev, i)
			}
			owner[p.URL] = i
			if p.Shard.Index != i || p.Shard.Count != n {
				t.Errorf("a page of shard %d/%d records shard %d/%d", i, n, p.Shard.Index, p.Shard.Count)
			}
		}
	}
	var rep struct{ Pages []struct{ URL string } }
	json.Unmarshal(whole, &rep)
	for _, p := range rep.Pages {
		if _, ok := owner[p.URL]; !ok {
			t.Errorf("no shard audited %s", p.URL)
		}
	}
	if len(owner) != len(rep.Pages) {
		t.Errorf("the shards audited %d pages, the whole run %d", len(owner), len(rep.Pages))
	}
}

// copyFile copies a file, making the folder it goes into.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// --- Kubernetes ---

// k8sEnvVar is a container's variable.
type k8sEnvVar struct {
	Name      string
	Value     string
	ValueFrom *struct {
		FieldRef *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
		SecretKeyRef *struct {
			Name, Key string
			Optional  bool
		} `yaml:"secretKeyRef"`
	} `yaml:"valueFrom"`
}

// k8sJob is what the tests read of the manifest's Job.
type k8sJob struct {
	Metadata struct{ Name string }
	Spec     struct {
		CompletionMode   string `yaml:"completionMode"`
		Completions      int
		Parallelism      int
		PodFailurePolicy struct {
			Rules []struct {
				Action      string
				OnExitCodes *struct {
					ContainerName string `yaml:"containerName"`
					Operator      string
					Values        []int
				} `yaml:"onExitCodes"`
			}
		} `yaml:"podFailurePolicy"`
		Template struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name, Image  string
					Command      []string
					Args         []string
					Env          []k8sEnvVar
					VolumeMounts []struct {
						Name      string
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				}
				Volumes []struct {
					Name                  string
					PersistentVolumeClaim struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				}
			}
		}
	}
}

// readManifest reads the manifest's documents: the Job and the claims'
// names with their access modes.
func readManifest(t *testing.T) (k8sJob, map[string][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("kubernetes", "newsa11y-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var job k8sJob
	jobs := 0
	claims := map[string][]string{}
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("the manifest: %v", err)
		}
		var head struct {
			APIVersion string `yaml:"apiVersion"`
			Kind       string
			Metadata   struct{ Name string }
			Spec       struct {
				AccessModes []string `yaml:"accessModes"`
			}
		}
		if err := doc.Decode(&head); err != nil {
			t.Fatal(err)
		}
		switch head.Kind {
		case "Job":
			if head.APIVersion != "batch/v1" {
				t.Errorf("the Job's apiVersion is %q, want batch/v1", head.APIVersion)
			}
			if err := doc.Decode(&job); err != nil {
				t.Fatalf("the Job: %v", err)
			}
			jobs++
		case "PersistentVolumeClaim":
			claims[head.Metadata.Name] = head.Spec.AccessModes
		default:
			t.Errorf("the manifest holds a %s, which the test does not know", head.Kind)
		}
	}
	if jobs != 1 {
		t.Fatalf("the manifest holds %d Jobs, want 1", jobs)
	}
	return job, claims
}

func TestKubernetesManifest(t *testing.T) {
	job, claims := readManifest(t)
	spec := job.Spec
	if spec.CompletionMode != "Indexed" {
		t.Errorf("completionMode %q, want Indexed: JOB_COMPLETION_INDEX is set only in an Indexed Job", spec.CompletionMode)
	}
	if spec.Completions < 2 || spec.Parallelism != spec.Completions {
		t.Errorf("completions %d, parallelism %d: want 2 or more shards, all running at once (the last waits for the others)", spec.Completions, spec.Parallelism)
	}
	pod := spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	vars := map[string]k8sEnvVar{}
	for _, v := range c.Env {
		vars[v.Name] = v
	}
	if n, err := strconv.Atoi(vars["NEWSA11Y_SHARD_COUNT"].Value); err != nil || n != spec.Completions {
		t.Errorf("NEWSA11Y_SHARD_COUNT %q, want the Job's completions, %d", vars["NEWSA11Y_SHARD_COUNT"].Value, spec.Completions)
	}
	if vars["NEWSA11Y_SHARD"].Value != "auto" && !strings.Contains(strings.Join(c.Args, " "), "--shard auto") {
		t.Error("the container does not audit with --shard auto")
	}
	if rid := vars["NEWSA11Y_RUN_ID"].ValueFrom; rid == nil || rid.FieldRef == nil || rid.FieldRef.FieldPath != "metadata.labels['batch.kubernetes.io/controller-uid']" {
		t.Error("NEWSA11Y_RUN_ID is not the Job's uid, which every pod of one Job, and only those, share")
	}
	if st := vars["NEWSA11Y_STORE"].ValueFrom; st == nil || st.SecretKeyRef == nil || !st.SecretKeyRef.Optional {
		t.Error("NEWSA11Y_STORE does not come from an optional Secret")
	}
	if pod.RestartPolicy != "Never" {
		t.Errorf("restartPolicy %q: a pod failure policy needs Never", pod.RestartPolicy)
	}
	failJob := false
	for _, r := range spec.PodFailurePolicy.Rules {
		if r.OnExitCodes == nil {
			continue
		}
		if r.OnExitCodes.ContainerName != c.Name {
			t.Errorf("a pod failure rule names container %q; the container is %q", r.OnExitCodes.ContainerName, c.Name)
		}
		if r.Action == "FailJob" && r.OnExitCodes.Operator == "In" && slices.Equal(r.OnExitCodes.Values, []int{101, 102}) {
			failJob = true
		}
	}
	if !failJob {
		t.Error("no pod failure rule fails the Job on the merge's verdicts, 101 and 102")
	}
	if len(c.Command) != 2 || c.Command[0] != "/bin/sh" || c.Command[1] != "-c" || len(c.Args) != 1 {
		t.Fatalf("command %q, args of %d: want /bin/sh -c SCRIPT", c.Command, len(c.Args))
	}
	if c.Image == "" {
		t.Error("no image")
	}
	// The results go to the shared claim, mounted where NEWSA11Y_RESULTS
	// says.
	if len(c.VolumeMounts) != 1 || len(pod.Volumes) != 1 || c.VolumeMounts[0].Name != pod.Volumes[0].Name {
		t.Fatalf("volume mounts %+v, volumes %+v: want the one volume mounted", c.VolumeMounts, pod.Volumes)
	}
	if c.VolumeMounts[0].MountPath != vars["NEWSA11Y_RESULTS"].Value {
		t.Errorf("the volume is mounted at %s, the results go to NEWSA11Y_RESULTS=%s", c.VolumeMounts[0].MountPath, vars["NEWSA11Y_RESULTS"].Value)
	}
	modes, ok := claims[pod.Volumes[0].PersistentVolumeClaim.ClaimName]
	if !ok || !slices.Contains(modes, "ReadWriteMany") {
		t.Errorf("the volume's claim %q is not in the manifest with ReadWriteMany (%v): the pods write to it from several nodes", pod.Volumes[0].PersistentVolumeClaim.ClaimName, modes)
	}
}

// podRun is one pod of the Job as the test runs it.
type podRun struct {
	out  string
	code int
}

// runPods runs the container's script for each index as the Job's pods
// would, at once, in the workspace (the image's working folder), with
// the container's variables, the pod's JOB_COMPLETION_INDEX and the Job's
// uid, and over extra.
func runPods(t *testing.T, bin, ws string, indexes []int, extra map[string]string) map[int]podRun {
	t.Helper()
	job, _ := readManifest(t)
	c := job.Spec.Template.Spec.Containers[0]
	vars := map[string]string{}
	for _, v := range c.Env {
		switch {
		case v.ValueFrom == nil:
			vars[v.Name] = v.Value
		case v.ValueFrom.FieldRef != nil:
			vars[v.Name] = "3f2c9a61-5b0e-4f7e-9d2a-0c8e1b7a4d55"
		}
		// An optional Secret that does not exist sets nothing.
	}
	for k, v := range extra {
		vars[k] = v
	}
	runs := map[int]podRun{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, i := range indexes {
		env := withVars(baseEnv(bin), vars)
		env = append(env, "JOB_COMPLETION_INDEX="+strconv.Itoa(i))
		wg.Go(func() {
			cmd := exec.Command(c.Command[0], c.Command[1], c.Args[0])
			cmd.Dir, cmd.Env = ws, env
			out, err := cmd.CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				code = -1
				out = append(out, err.Error()...)
			}
			mu.Lock()
			runs[i] = podRun{string(out), code}
			mu.Unlock()
		})
	}
	wg.Wait()
	return runs
}

// TestKubernetesPods runs the Job's pods: every shard records its pages,
// the last merges them once all have finished into reports equal to an
// unsharded run's, and exits 102 as the gate found violations; a pod run
// again continues its stream; and without a shard, the merge says which
// is missing and the last pod exits 101.
func TestKubernetesPods(t *testing.T) {
	bin := buildNewsa11y(t)
	ws, sitemap := shardSite(t, 11)
	whole := unsharded(t, bin, ws, sitemap)
	job, _ := readManifest(t)
	n := job.Spec.Completions
	results := t.TempDir()
	extra := map[string]string{
		"NEWSA11Y_RESULTS": results, "NEWSA11Y_SITEMAP": sitemap,
		// The local sitemap has no dates; the page list is its whole.
		"NEWSA11Y_SINCE": "", "NEWSA11Y_STATIC": "true",
	}
	var all []int
	for i := range n {
		all = append(all, i)
	}
	runs := runPods(t, bin, ws, all, extra)
	run := filepath.Join(results, "3f2c9a61-5b0e-4f7e-9d2a-0c8e1b7a4d55")
	streams := map[int]string{}
	for i := range n {
		want := 0
		if i == n-1 {
			want = 102
		}
		if runs[i].code != want {
			t.Errorf("pod %d: exit %d, want %d\n%s", i, runs[i].code, want, runs[i].out)
		}
		if !strings.Contains(runs[i].out, fmt.Sprintf("shard %d/%d (kubernetes: JOB_COMPLETION_INDEX=%d, NEWSA11Y_SHARD_COUNT=%d)", i+1, n, i, n)) {
			t.Errorf("pod %d does not say which shard it is:\n%s", i, runs[i].out)
		}
		streams[i+1] = filepath.Join(run, fmt.Sprintf("shard-%d.jsonl", i+1))
		if _, err := os.Stat(filepath.Join(run, fmt.Sprintf("shard-%d.done", i+1))); err != nil {
			t.Errorf("shard %d is not marked finished: %v", i+1, err)
		}
	}
	checkStreams(t, streams, n, whole)
	merged, err := os.ReadFile(filepath.Join(run, "newsa11y.json"))
	if err != nil {
		t.Fatalf("the last pod wrote no merged report: %v\n%s", err, runs[n-1].out)
	}
	if a, b := comparable(t, whole), comparable(t, merged); a != b {
		t.Errorf("the merged shards differ from the unsharded run\nwhole:\n%.3000s\nmerged:\n%.3000s", a, b)
	}
	for _, name := range []string{"newsa11y.html", "newsa11y.md"} {
		if st, err := os.Stat(filepath.Join(run, name)); err != nil || st.Size() == 0 {
			t.Errorf("no %s beside the streams (%v)", name, err)
		}
	}
	if !strings.Contains(runs[n-1].out, "img-alt-missing") {
		t.Errorf("the last pod's log does not end with the text report:\n%s", runs[n-1].out)
	}

	// The Job starts a failed pod again: it continues its shard's stream
	// and audits nothing twice.
	before, _ := os.ReadFile(streams[1])
	again := runPods(t, bin, ws, []int{0}, extra)
	after, _ := os.ReadFile(streams[1])
	if again[0].code != 0 || !bytes.Equal(before, after) {
		t.Errorf("pod 0 run again: exit %d, stream of %d bytes became %d\n%s", again[0].code, len(before), len(after), again[0].out)
	}

	// A pod whose audit cannot run fails with newsa11y's status, for the
	// Job to start it again, and leaves its shard unmarked.
	failing := maps.Clone(extra)
	failing["NEWSA11Y_RESULTS"] = t.TempDir()
	failing["NEWSA11Y_VIEWPORT"] = "1x1"
	bad := runPods(t, bin, ws, []int{0}, failing)
	if bad[0].code != 1 {
		t.Errorf("a pod whose audit cannot run: exit %d, want 1\n%s", bad[0].code, bad[0].out)
	}
	if marks, _ := filepath.Glob(filepath.Join(failing["NEWSA11Y_RESULTS"], "*", "*.done")); len(marks) != 0 {
		t.Errorf("a failed shard is marked finished: %v", marks)
	}

	// A pod whose audit streamed every page of its shard and still
	// exits 1 (a rule failed on a page) did its work: a new pod would
	// fail the same way, so it marks its shard finished and leaves the
	// failure to the merge. A wrapper gives the real audit that exit.
	wrapper := t.TempDir()
	script := fmt.Sprintf("#!/bin/sh\n%q \"$@\"\ncode=$?\nif [ \"$1\" = audit ]; then exit 1; fi\nexit $code\n", filepath.Join(bin, "newsa11y"))
	if err := os.WriteFile(filepath.Join(wrapper, "newsa11y"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ruled := maps.Clone(extra)
	ruled["NEWSA11Y_RESULTS"] = t.TempDir()
	if r := runPods(t, wrapper, ws, []int{0}, ruled); r[0].code != 0 {
		t.Errorf("a pod whose audit streamed every page and exited 1: exit %d, want 0\n%s", r[0].code, r[0].out)
	}
	if marks, _ := filepath.Glob(filepath.Join(ruled["NEWSA11Y_RESULTS"], "*", "shard-1.done")); len(marks) != 1 {
		t.Errorf("a shard whose stream holds every page is not marked finished: %v", marks)
	}

	// A run one of whose shards (other than the last, and with pages)
	// never finishes: the last pod waits no longer than
	// NEWSA11Y_MERGE_WAIT, and the merge says which shard is missing.
	delete(streams, n)
	miss := fullShard(t, streams)
	extra["NEWSA11Y_RESULTS"] = t.TempDir()
	extra["NEWSA11Y_MERGE_WAIT"] = "0"
	// The other shards finish first: the last pod does not wait at all.
	var some []int
	for i := range n - 1 {
		if i != miss-1 {
			some = append(some, i)
		}
	}
	for i, r := range runPods(t, bin, ws, some, extra) {
		if r.code != 0 {
			t.Fatalf("pod %d: exit %d\n%s", i, r.code, r.out)
		}
	}
	runs = runPods(t, bin, ws, []int{n - 1}, extra)
	if last := runs[n-1]; last.code != 101 || !strings.Contains(last.out, fmt.Sprintf("shard %d/%d is missing", miss, n)) || !strings.Contains(last.out, "not every shard finished") {
		t.Errorf("the last pod without shard %d: exit %d, want 101 saying it is missing\n%s", miss, last.code, last.out)
	}
}

// --- GitLab ---

// gitlabSpec is what the tests read of a GitLab job.
type gitlabSpec struct {
	Extends   any
	Stage     string
	Image     *struct{ Name string }
	Parallel  int
	Needs     []string
	When      string
	Variables map[string]string
	Script    []string
	Artifacts *struct {
		When    string
		Paths   []string
		Reports map[string]string
	}
}

// readGitLabJobs reads the sharded template's jobs, each with what it
// extends merged in as GitLab does: variables key by key, the rest
// replaced by the job's own.
func readGitLabJobs(t *testing.T) map[string]gitlabSpec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("gitlab", "newsa11y-sharded.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]gitlabSpec
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("the template: %v", err)
	}
	var resolve func(name string, depth int) gitlabSpec
	resolve = func(name string, depth int) gitlabSpec {
		job, ok := raw[name]
		if !ok || depth > 5 {
			t.Fatalf("job %q: not in the template, or extends in a loop", name)
		}
		parent, _ := job.Extends.(string)
		if parent == "" {
			return job
		}
		base := resolve(parent, depth+1)
		vars := map[string]string{}
		for k, v := range base.Variables {
			vars[k] = v
		}
		for k, v := range job.Variables {
			vars[k] = v
		}
		merged := job
		merged.Variables = vars
		if merged.Image == nil {
			merged.Image = base.Image
		}
		if merged.Script == nil {
			merged.Script = base.Script
		}
		if merged.Artifacts == nil {
			merged.Artifacts = base.Artifacts
		}
		if merged.Parallel == 0 {
			merged.Parallel = base.Parallel
		}
		return merged
	}
	jobs := map[string]gitlabSpec{}
	for name := range raw {
		if !strings.HasPrefix(name, ".") {
			jobs[name] = resolve(name, 0)
		}
	}
	return jobs
}

// jsonlPath is the path of a --report jsonl= value in a command.
var jsonlPath = regexp.MustCompile(`--report "?jsonl=((?:\$\{\{[^}]*\}\}|[^" ])+)`)

func TestGitLabShardedTemplate(t *testing.T) {
	jobs := readGitLabJobs(t)
	shard, merge := jobs["newsa11y-shard"], jobs["newsa11y-merge"]
	if shard.Script == nil || merge.Script == nil {
		t.Fatalf("want the jobs newsa11y-shard and newsa11y-merge; have %v", slices.Sorted(maps.Keys(jobs)))
	}
	if shard.Parallel < 2 {
		t.Errorf("newsa11y-shard has parallel: %d, want 2 or more", shard.Parallel)
	}
	for name, job := range map[string]gitlabSpec{"newsa11y-shard": shard, "newsa11y-merge": merge} {
		if n, err := strconv.Atoi(job.Variables["NEWSA11Y_SHARD_COUNT"]); err != nil || n != shard.Parallel {
			t.Errorf("%s: NEWSA11Y_SHARD_COUNT %q, want parallel:, %d", name, job.Variables["NEWSA11Y_SHARD_COUNT"], shard.Parallel)
		}
		if job.Image == nil || job.Image.Name != "${NEWSA11Y_IMAGE}" {
			t.Errorf("%s: image %+v, want ${NEWSA11Y_IMAGE}", name, job.Image)
		}
		if job.Variables["NEWSA11Y_RUN_ID"] != "gitlab-$CI_PIPELINE_ID" {
			t.Errorf("%s: NEWSA11Y_RUN_ID %q, want the pipeline's", name, job.Variables["NEWSA11Y_RUN_ID"])
		}
	}
	audit := strings.Join(shard.Script, "\n")
	if !strings.Contains(audit, "newsa11y audit --shard auto") {
		t.Errorf("the shard job's script does not run newsa11y audit --shard auto:\n%s", audit)
	}
	m := jsonlPath.FindStringSubmatch(audit)
	if m == nil || !strings.Contains(m[1], "$CI_NODE_INDEX") {
		t.Fatalf("the shard job's stream is not named by CI_NODE_INDEX:\n%s", audit)
	}
	if shard.Artifacts == nil || shard.Artifacts.When != "always" || !slices.ContainsFunc(shard.Artifacts.Paths, func(p string) bool { return strings.HasPrefix(m[1], p) }) {
		t.Errorf("the shard job's artifacts %+v do not keep its stream %s whatever happens", shard.Artifacts, m[1])
	}
	if !slices.Contains(merge.Needs, "newsa11y-shard") || merge.When != "always" || merge.Stage != shard.Stage {
		t.Errorf("the merge job needs %v, when %q, stage %q: want the shard jobs, always, in their stage", merge.Needs, merge.When, merge.Stage)
	}
	glob := strings.ReplaceAll(m[1], "$CI_NODE_INDEX", "*")
	if !strings.Contains(strings.Join(merge.Script, "\n"), "newsa11y merge "+glob) {
		t.Errorf("the merge job does not merge %s:\n%s", glob, strings.Join(merge.Script, "\n"))
	}
	reports := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(merge.Variables["NEWSA11Y_REPORT"]), "\n") {
		format, path, _ := strings.Cut(line, "=")
		reports[format] = path
	}
	if merge.Artifacts == nil || merge.Artifacts.When != "always" || merge.Artifacts.Reports["junit"] != reports["junit"] || merge.Artifacts.Reports["codequality"] != reports["codequality"] || reports["junit"] == "" {
		t.Errorf("the merge's artifacts %+v do not publish the reports it writes %v", merge.Artifacts, reports)
	}
	if merge.Variables["NEWSA11Y_FAIL_ON"] == "" {
		t.Error("the merge job sets no NEWSA11Y_FAIL_ON")
	}
}

// expandGitLab expands $NAME and ${NAME} in a variable's value, as
// GitLab does with the job's other variables.
func expandGitLab(v string, vars map[string]string) string {
	return os.Expand(v, func(name string) string { return vars[name] })
}

// TestGitLabShardedScripts runs the template's jobs as a GitLab pipeline
// would, each in the project folder (one path for all, as a runner's
// builds folder): each parallel job's script with its CI_NODE_INDEX and
// CI_NODE_TOTAL, keeping only its artifacts' paths; then the merge job's
// script with those artifacts, which fails with exit 2 on the bad story
// and writes the reports GitLab reads, equal to an unsharded run's.
func TestGitLabShardedScripts(t *testing.T) {
	bin := buildNewsa11y(t)
	ws, sitemap := shardSite(t, 11)
	whole := unsharded(t, bin, ws, sitemap)
	jobs := readGitLabJobs(t)
	shard, merge := jobs["newsa11y-shard"], jobs["newsa11y-merge"]
	n := shard.Parallel
	// What the project sets: its pages, over the template's.
	project := map[string]string{"NEWSA11Y_SITEMAP": sitemap, "NEWSA11Y_STATIC": "true", "NEWSA11Y_QUIET": "true", "CI_PIPELINE_ID": "4711"}
	jobEnv := func(job gitlabSpec, more map[string]string) []string {
		vars := map[string]string{}
		for k, v := range project {
			vars[k] = v
		}
		for k, v := range more {
			vars[k] = v
		}
		for k, v := range job.Variables {
			vars[k] = expandGitLab(v, vars)
		}
		return withVars(baseEnv(bin), vars)
	}
	stash := t.TempDir()
	streams := map[int]string{}
	for i := 1; i <= n; i++ {
		env := jobEnv(shard, map[string]string{"CI_NODE_INDEX": strconv.Itoa(i), "CI_NODE_TOTAL": strconv.Itoa(n)})
		out, code := shell(t, ws, env, "bash", "set -eo pipefail\n"+strings.Join(shard.Script, "\n"))
		if code != 0 {
			t.Fatalf("shard job %d/%d: exit %d\n%s", i, n, code, out)
		}
		// The job's artifacts, and only those, outlive it.
		for _, p := range shard.Artifacts.Paths {
			files, _ := filepath.Glob(filepath.Join(ws, p, "*"))
			for _, f := range files {
				rel, _ := filepath.Rel(ws, f)
				copyFile(t, f, filepath.Join(stash, rel))
				streams[i] = filepath.Join(stash, rel)
			}
			os.RemoveAll(filepath.Join(ws, p))
		}
	}
	checkStreams(t, streams, n, whole)
	for _, path := range streams {
		rel, _ := filepath.Rel(stash, path)
		copyFile(t, path, filepath.Join(ws, rel))
	}
	out, code := shell(t, ws, jobEnv(merge, nil), "bash", "set -eo pipefail\n"+strings.Join(merge.Script, "\n"))
	var all []string
	for i := 1; i <= n; i++ {
		all = append(all, strconv.Itoa(i))
	}
	if code != 2 || !strings.Contains(out, fmt.Sprintf("merged shards %s of %d", strings.Join(all, ", "), n)) {
		t.Fatalf("the merge job: exit %d, want 2 (the bad story)\n%s", code, out)
	}
	for _, path := range merge.Artifacts.Reports {
		if st, err := os.Stat(filepath.Join(ws, path)); err != nil || st.Size() == 0 {
			t.Errorf("the merge wrote no %s (%v)", path, err)
		}
	}
	// The merged Code Quality report is the unsharded run's.
	cq := filepath.Join(t.TempDir(), "whole-cq.json")
	unsharded(t, bin, ws, sitemap, "--report", "codequality="+cq)
	a, _ := os.ReadFile(cq)
	b, _ := os.ReadFile(filepath.Join(ws, merge.Artifacts.Reports["codequality"]))
	if !bytes.Equal(a, b) {
		t.Errorf("the merged Code Quality report differs from the unsharded run's\nwhole:\n%.2000s\nmerged:\n%.2000s", a, b)
	}

	// A shard job whose parallel: and NEWSA11Y_SHARD_COUNT disagree stops.
	env := jobEnv(shard, map[string]string{"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": strconv.Itoa(n + 1)})
	if out, code := shell(t, ws, env, "bash", "set -eo pipefail\n"+strings.Join(shard.Script, "\n")); code != 1 || !strings.Contains(out, "disagree") {
		t.Errorf("a shard job of parallel: %d with NEWSA11Y_SHARD_COUNT=%d: exit %d, want 1\n%s", n+1, n, code, out)
	}
	// Without the artifacts of a shard that had pages, the merge says
	// which is missing.
	miss := fullShard(t, streams)
	os.Remove(filepath.Join(ws, mustRel(t, stash, streams[miss])))
	if out, code := shell(t, ws, jobEnv(merge, nil), "bash", "set -eo pipefail\n"+strings.Join(merge.Script, "\n")); code != 1 || !strings.Contains(out, fmt.Sprintf("shard %d/%d is missing", miss, n)) {
		t.Errorf("the merge without shard %d: exit %d, want 1 saying it is missing\n%s", miss, code, out)
	}
}

// fullShard returns the shard whose stream holds the most pages: the
// split depends on the pages' paths, which differ from run to run, so a
// given shard may have none.
func fullShard(t *testing.T, streams map[int]string) int {
	t.Helper()
	best, most := 0, -1
	for i, path := range streams {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(data, []byte("\n")); n > most || n == most && i < best {
			best, most = i, n
		}
	}
	return best
}

func mustRel(t *testing.T, base, path string) string {
	t.Helper()
	rel, err := filepath.Rel(base, path)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// --- GitHub Actions ---

// ghStep is a workflow step.
type ghStep struct {
	Name string
	ID   string
	Uses string
	Run  string
	If   string
	Env  map[string]string
	With map[string]string
}

// ghWorkflow is what the tests read of the sharded workflow.
type ghWorkflow struct {
	Env  map[string]string
	Jobs map[string]struct {
		Needs    any
		If       string
		Env      map[string]string
		Strategy struct {
			FailFast *bool `yaml:"fail-fast"`
			Matrix   struct {
				Shard []int
			}
		}
		Steps []ghStep
	}
}

func readWorkflow(t *testing.T) ghWorkflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("github", "newsa11y-sharded.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var w ghWorkflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("the workflow: %v", err)
	}
	return w
}

// stepUsing returns the steps of a job that use an action.
func stepsUsing(steps []ghStep, action string) []ghStep {
	var out []ghStep
	for _, s := range steps {
		if strings.HasPrefix(s.Uses, action+"@") {
			out = append(out, s)
		}
	}
	return out
}

// ghExpr is an expression of a workflow.
var ghExpr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expandGitHub evaluates a workflow's expressions in a value, from the
// contexts given; an expression the test does not know fails it.
func expandGitHub(t *testing.T, v string, ctx map[string]string) string {
	t.Helper()
	return ghExpr.ReplaceAllStringFunc(v, func(e string) string {
		name := ghExpr.FindStringSubmatch(e)[1]
		if strings.HasPrefix(name, "secrets.") {
			return "" // not set in a fork, or by this test
		}
		val, ok := ctx[name]
		if !ok {
			t.Fatalf("the workflow uses ${{ %s }}, which the test cannot evaluate", name)
		}
		return val
	})
}

func TestGitHubShardedWorkflow(t *testing.T) {
	w := readWorkflow(t)
	audit, okA := w.Jobs["audit"]
	merge, okM := w.Jobs["merge"]
	if !okA || !okM {
		t.Fatal("want the jobs audit and merge")
	}
	n, err := strconv.Atoi(w.Env["NEWSA11Y_SHARD_COUNT"])
	if err != nil {
		t.Fatalf("NEWSA11Y_SHARD_COUNT %q: %v", w.Env["NEWSA11Y_SHARD_COUNT"], err)
	}
	var want []int
	for i := 1; i <= n; i++ {
		want = append(want, i)
	}
	if !slices.Equal(audit.Strategy.Matrix.Shard, want) {
		t.Errorf("the matrix's shards are %v, want %v (1 to NEWSA11Y_SHARD_COUNT)", audit.Strategy.Matrix.Shard, want)
	}
	if ff := audit.Strategy.FailFast; ff == nil || *ff {
		t.Error("the matrix does not set fail-fast: false: one failed shard would cancel the others")
	}
	var auditRun string
	for _, s := range audit.Steps {
		if strings.Contains(s.Run, "newsa11y audit") {
			auditRun = s.Run
		}
	}
	if !strings.Contains(auditRun, `--shard "${{ matrix.shard }}/${{ strategy.job-total }}"`) {
		t.Errorf("the audit step does not pass its matrix shard: %q", auditRun)
	}
	m := jsonlPath.FindStringSubmatch(auditRun)
	if m == nil {
		t.Fatalf("the audit step writes no stream: %q", auditRun)
	}
	uploads := stepsUsing(audit.Steps, "actions/upload-artifact")
	if len(uploads) != 1 || uploads[0].With["path"] != m[1] || !strings.Contains(uploads[0].If, "always()") || !strings.Contains(uploads[0].With["name"], "${{ matrix.shard }}") {
		t.Errorf("the audit job's upload %+v does not upload its stream %s, named by its shard, whatever happens", uploads, m[1])
	}
	if merge.Needs != "audit" || !strings.Contains(merge.If, "!cancelled()") {
		t.Errorf("the merge job needs %v if %q: want audit, and to run when a shard failed", merge.Needs, merge.If)
	}
	downloads := stepsUsing(merge.Steps, "actions/download-artifact")
	if len(downloads) != 1 {
		t.Fatalf("%d download steps in the merge job, want 1", len(downloads))
	}
	d := downloads[0].With
	name := strings.ReplaceAll(uploads[0].With["name"], "${{ matrix.shard }}", "1")
	if ok, _ := filepath.Match(d["pattern"], name); !ok || d["merge-multiple"] != "true" || d["path"] != filepath.Dir(m[1]) {
		t.Errorf("the download %v does not bring the artifacts (%s…) into %s", d, name, filepath.Dir(m[1]))
	}
	var mergeRun string
	for _, s := range merge.Steps {
		if strings.Contains(s.Run, "newsa11y merge") {
			mergeRun = s.Run
		}
	}
	glob := strings.ReplaceAll(m[1], "${{ matrix.shard }}", "*")
	if !strings.Contains(mergeRun, " "+glob) {
		t.Errorf("the merge step does not merge %s: %q", glob, mergeRun)
	}
	sarifs := stepsUsing(merge.Steps, "github/codeql-action/upload-sarif")
	if len(sarifs) != 1 || !strings.Contains(mergeRun, "sarif="+sarifs[0].With["sarif_file"]) {
		t.Errorf("the SARIF uploaded (%+v) is not the one the merge writes", sarifs)
	}
	for _, job := range []string{"audit", "merge"} {
		for _, s := range w.Jobs[job].Steps {
			if strings.Contains(s.Run, "go install") && !strings.Contains(s.Run, `"github.com/newsa11y/newsa11y/cmd/newsa11y@$NEWSA11Y_VERSION"`) {
				t.Errorf("%s: the install step installs something else: %q", job, s.Run)
			}
		}
	}
	// The attempt is left out: a re-run of failed jobs joins the run.
	if w.Env["NEWSA11Y_RUN_ID"] != "github-${{ github.run_id }}" {
		t.Errorf("NEWSA11Y_RUN_ID %q, want the workflow run's id alone, without the attempt", w.Env["NEWSA11Y_RUN_ID"])
	}
}

// TestGitHubShardedRuns runs the workflow's shell steps as the runner
// would (bash -e, with the workflow's and the job's variables and the
// expressions evaluated): each matrix job's audit step, its upload stood
// in for by a copy of the path it uploads, then the merge job's steps,
// whose gate fails the job with the merge's exit status.
func TestGitHubShardedRuns(t *testing.T) {
	bin := buildNewsa11y(t)
	ws, sitemap := shardSite(t, 11)
	w := readWorkflow(t)
	n := len(w.Jobs["audit"].Strategy.Matrix.Shard)
	ctx := map[string]string{"github.run_id": "8150", "github.run_attempt": "1", "strategy.job-total": strconv.Itoa(n)}
	// The workflow's pages, aimed at the local site; the runner's own
	// variables.
	over := map[string]string{"NEWSA11Y_SITEMAP": sitemap, "NEWSA11Y_SINCE": "", "NEWSA11Y_STATIC": "true", "GITHUB_ACTIONS": "true"}
	stepEnv := func(job string, s ghStep, ctx map[string]string, files map[string]string) []string {
		vars := map[string]string{}
		for _, m := range []map[string]string{w.Env, w.Jobs[job].Env, s.Env} {
			for k, v := range m {
				vars[k] = expandGitHub(t, v, ctx)
			}
		}
		for k, v := range over {
			vars[k] = v
		}
		for k, v := range files {
			vars[k] = v
		}
		return withVars(baseEnv(bin), vars)
	}
	artifacts := t.TempDir()
	streams := map[int]string{}
	// Every job of a workflow starts in a fresh checkout at one path.
	jobDir := filepath.Join(t.TempDir(), "workspace")
	checkout := func() {
		if err := os.RemoveAll(jobDir); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(jobDir, os.DirFS(ws)); err != nil {
			t.Fatal(err)
		}
	}
	checkout()
	whole := unsharded(t, bin, jobDir, sitemap)
	for _, shard := range w.Jobs["audit"].Strategy.Matrix.Shard {
		checkout()
		c := map[string]string{"matrix.shard": strconv.Itoa(shard)}
		for k, v := range ctx {
			c[k] = v
		}
		for _, s := range w.Jobs["audit"].Steps {
			switch {
			case strings.Contains(s.Run, "go install"):
				// newsa11y is built from this tree instead.
			case s.Run != "":
				out, code := shell(t, jobDir, stepEnv("audit", s, c, nil), "bash", "set -e\n"+expandGitHub(t, s.Run, c))
				if code != 0 {
					t.Fatalf("shard %d, step %q: exit %d\n%s", shard, s.Name, code, out)
				}
				if strings.Contains(s.Run, "newsa11y audit") && !strings.Contains(out, fmt.Sprintf("shard %d/%d (flag: --shard %d/%d)", shard, n, shard, n)) {
					t.Errorf("shard %d does not say which shard it is:\n%s", shard, out)
				}
			case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
				path := expandGitHub(t, s.With["path"], c)
				// upload-artifact keeps a single file at the artifact's
				// root; download-artifact with merge-multiple puts every
				// artifact's files into one folder.
				dst := filepath.Join(artifacts, filepath.Base(path))
				copyFile(t, filepath.Join(jobDir, path), dst)
				streams[shard] = dst
			}
		}
	}
	checkStreams(t, streams, n, whole)

	// The merge job.
	checkout()
	outputs := map[string]string{}
	gateCode := -1
	for _, s := range w.Jobs["merge"].Steps {
		switch {
		case strings.Contains(s.Run, "go install"):
		case strings.HasPrefix(s.Uses, "actions/download-artifact@"):
			for _, src := range streams {
				copyFile(t, src, filepath.Join(jobDir, s.With["path"], filepath.Base(src)))
			}
		case s.Run != "":
			files := map[string]string{"GITHUB_OUTPUT": filepath.Join(t.TempDir(), "output"), "GITHUB_STEP_SUMMARY": filepath.Join(t.TempDir(), "summary")}
			c := map[string]string{}
			for k, v := range ctx {
				c[k] = v
			}
			for k, v := range outputs {
				c[k] = v
			}
			out, code := shell(t, jobDir, stepEnv("merge", s, c, files), "bash", "set -e\n"+expandGitHub(t, s.Run, c))
			if s.ID != "" {
				data, _ := os.ReadFile(files["GITHUB_OUTPUT"])
				for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
					k, v, _ := strings.Cut(line, "=")
					outputs["steps."+s.ID+".outputs."+k] = v
				}
				if code != 0 {
					t.Fatalf("step %q failed itself (exit %d); it must leave failing to the gate\n%s", s.Name, code, out)
				}
				summary, _ := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
				if !bytes.Contains(summary, []byte("img-alt-missing")) {
					t.Errorf("the run's summary does not show the merged report:\n%s", summary)
				}
				continue
			}
			gateCode = code
		}
	}
	if outputs["steps.merge.outputs.exit-code"] != "2" || gateCode != 2 {
		t.Errorf("the merge recorded exit %q and the gate exited %d; want 2 and 2 (the bad story)", outputs["steps.merge.outputs.exit-code"], gateCode)
	}
	sarif := filepath.Join(jobDir, "newsa11y-reports", "newsa11y.sarif")
	if st, err := os.Stat(sarif); err != nil || st.Size() == 0 {
		t.Errorf("no SARIF to upload: %v", err)
	}
	// The gate without a status fails.
	for _, s := range w.Jobs["merge"].Steps {
		if s.Name == "Gate" {
			c := maps.Clone(ctx)
			c["steps.merge.outputs.exit-code"] = ""
			env := stepEnv("merge", s, c, nil)
			if _, code := shell(t, jobDir, env, "bash", "set -e\n"+s.Run); code != 1 {
				t.Errorf("the gate without the merge's status: exit %d, want 1", code)
			}
		}
	}
}
