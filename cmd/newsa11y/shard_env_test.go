package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit/audittest"
)

// noEngine blanks the variables --shard auto reads, which the machine
// running the tests may have set (a GitLab job has CI_NODE_TOTAL=1): a
// blank variable counts as unset.
var noEngine = []string{"JOB_COMPLETION_INDEX=", "CI_NODE_INDEX=", "CI_NODE_TOTAL=", "GITHUB_ACTIONS=", "NEWSA11Y_SHARD=", "NEWSA11Y_SHARD_COUNT="}

// shardLine is what the tests read of a page line of a stream.
type shardLine struct {
	URL   string
	Shard *struct {
		Index, Count int
		Source, From string
	}
}

// readStream reads the page lines of a stream.
func readStreamLines(t *testing.T, path string) []shardLine {
	t.Helper()
	var lines []shardLine
	for line := range bytes.SplitSeq(bytes.TrimSpace(read(t, path)), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var l shardLine
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		lines = append(lines, l)
	}
	return lines
}

// canonicalJSON re-encodes a JSON report with its keys sorted.
func canonicalJSON(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(v, "", " ")
	return string(out)
}

// TestShardAutoFromEachEngine runs the built binary as each engine would
// run it, with the engine's variables set, over a generated site with
// --static (no browser: the mapping of shards is what is tested): each
// shard audits its own pages, no two shards share one, together they are
// every page, each page line records its shard and where it came from,
// and the merged shards are the unsharded run, finding for finding.
func TestShardAutoFromEachEngine(t *testing.T) {
	const pages = 14
	site := writeSite(t, pages)
	out := t.TempDir()
	whole := filepath.Join(out, "whole.json")
	if r := run(t, "", noEngine, "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--report", "json="+whole, site); r.code != 0 {
		t.Fatalf("the unsharded run: exit %d\n%s", r.code, r.stderr)
	}
	var wholeRep struct{ Pages []struct{ URL string } }
	json.Unmarshal(read(t, whole), &wholeRep)
	if len(wholeRep.Pages) != pages {
		t.Fatalf("the unsharded run audited %d pages, want %d", len(wholeRep.Pages), pages)
	}

	for _, engine := range []struct {
		name   string
		n      int
		source string
		// shard returns the arguments and variables of shard i (1-based).
		shard func(i, n int) ([]string, []string)
	}{
		{"kubernetes", 3, "kubernetes", func(i, n int) ([]string, []string) {
			return []string{"--shard", "auto"}, []string{"JOB_COMPLETION_INDEX=" + strconv.Itoa(i-1), "NEWSA11Y_SHARD_COUNT=" + strconv.Itoa(n)}
		}},
		{"gitlab", 4, "gitlab", func(i, n int) ([]string, []string) {
			return nil, []string{"NEWSA11Y_SHARD=auto", "CI_NODE_INDEX=" + strconv.Itoa(i), "CI_NODE_TOTAL=" + strconv.Itoa(n)}
		}},
		{"github matrix", 2, "flag", func(i, n int) ([]string, []string) {
			return []string{"--shard", fmt.Sprintf("%d/%d", i, n)}, []string{"GITHUB_ACTIONS=true"}
		}},
	} {
		t.Run(engine.name, func(t *testing.T) {
			dir := t.TempDir()
			owner := map[string]int{}
			var streams []string
			for i := 1; i <= engine.n; i++ {
				args, env := engine.shard(i, engine.n)
				stream := filepath.Join(dir, fmt.Sprintf("shard-%d.jsonl", i))
				streams = append(streams, stream)
				report := filepath.Join(dir, fmt.Sprintf("shard-%d.json", i))
				args = append([]string{"audit", "--no-config", "--static", "--fail-on", "none", "--report", "jsonl=" + stream, "--report", "json=" + report}, args...)
				r := run(t, "", append(slices.Clone(noEngine), env...), append(args, site)...)
				if r.code != 0 {
					t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
				}
				lines := readStreamLines(t, stream)
				// The JSON report says which shard it is, as its schema
				// describes.
				audittest.ValidateJSON(t, filepath.Join("..", "..", "docs", "report.schema.json"), read(t, report))
				var rep struct {
					Shard *struct {
						Index, Count, Pages int
						Source              string
					}
				}
				json.Unmarshal(read(t, report), &rep)
				if s := rep.Shard; s == nil || s.Index != i || s.Count != engine.n || s.Source != engine.source || s.Pages != len(lines) {
					t.Errorf("shard %d's report records shard %+v; want %d/%d from %s with its %d pages", i, s, i, engine.n, engine.source, len(lines))
				}
				wantSays := fmt.Sprintf("shard %d/%d (%s: ", i, engine.n, engine.source)
				if !strings.Contains(r.stderr, wantSays) || !strings.Contains(r.stderr, fmt.Sprintf("of the run's %d", pages)) {
					t.Errorf("shard %d does not say which it is (%q) and of how many pages:\n%s", i, wantSays, r.stderr)
				}
				for _, l := range lines {
					if prev, ok := owner[l.URL]; ok {
						t.Errorf("%s is audited by shards %d and %d", l.URL, prev, i)
					}
					owner[l.URL] = i
					if l.Shard == nil || l.Shard.Index != i || l.Shard.Count != engine.n || l.Shard.Source != engine.source || l.Shard.From == "" {
						t.Errorf("shard %d: page %s records shard %+v", i, l.URL, l.Shard)
					}
				}
			}
			for _, p := range wholeRep.Pages {
				if _, ok := owner[p.URL]; !ok {
					t.Errorf("no shard audited %s", p.URL)
				}
			}
			if len(owner) != pages {
				t.Errorf("the shards audited %d pages together, want %d", len(owner), pages)
			}
			merged := filepath.Join(dir, "merged.json")
			r := run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", "--shard-count", strconv.Itoa(engine.n), "--report", "json=" + merged}, streams...)...)
			if r.code != 0 {
				t.Fatalf("merge: exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, fmt.Sprintf("of the run's %d pages", pages)) {
				t.Errorf("merge does not say how many of the run's pages it holds:\n%s", r.stderr)
			}
			if a, b := canonicalJSON(t, read(t, whole)), canonicalJSON(t, read(t, merged)); a != b {
				t.Errorf("the merged shards differ from the unsharded run\nwhole:\n%.3000s\nmerged:\n%.3000s", a, b)
			}
		})
	}
}

// TestMergeSaysWhichShardIsMissing merges the streams of a sharded run
// with one shard left out, then with it cut short: merge names the
// shard, counts its pages as not audited (exit 1 unless
// --allow-failed-pages tolerates them), and the reports say so.
func TestMergeSaysWhichShardIsMissing(t *testing.T) {
	// The split depends on the pages' paths, which differ from run to
	// run, so a shard can come out empty (about one site in forty of 12
	// pages), and merge then rightly names it missing as well as the
	// shard left out. Sites are drawn until every shard holds a page.
	var site, dir string
	var streams []string
	var counts map[string]int
	for attempt := 1; ; attempt++ {
		site, dir = writeSite(t, 12), t.TempDir()
		streams, counts = nil, map[string]int{}
		for i := 1; i <= 3; i++ {
			stream := filepath.Join(dir, fmt.Sprintf("shard-%d.jsonl", i))
			streams = append(streams, stream)
			env := append(slices.Clone(noEngine), "NEWSA11Y_SHARD_COUNT=3", "JOB_COMPLETION_INDEX="+strconv.Itoa(i-1))
			if r := run(t, "", env, "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--shard", "auto", "--report", "jsonl="+stream, site); r.code != 0 {
				t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
			}
			counts[stream] = len(readStreamLines(t, stream))
		}
		if !slices.Contains(slices.Collect(maps.Values(counts)), 0) {
			break
		}
		if attempt == 10 {
			t.Fatalf("each of 10 sites left a shard without pages: %v", counts)
		}
	}
	// The shard left out is the one with the most pages (the split
	// depends on the pages' paths, which differ from run to run): 4 or
	// more of the 12.
	miss := 0
	for i := range streams {
		if counts[streams[i]] > counts[streams[miss]] {
			miss = i
		}
	}
	missing := counts[streams[miss]]
	var others []string
	for i, s := range streams {
		if i != miss {
			others = append(others, s)
		}
	}
	report := filepath.Join(dir, "merged.json")
	r := run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", "--report", "json=" + report}, others...)...)
	name := fmt.Sprintf("shard %d/3", miss+1)
	want := fmt.Sprintf("%s is missing: no result holds a page of it, and the shards given have %d of the run's 12 pages, so %d", name, 12-missing, missing)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("merge without %s: exit %d, want 1 saying %q\n%s", name, r.code, want, r.stderr)
	}
	var rep struct {
		Warnings []string
		Verdict  struct {
			Exit   int
			Reason string
		}
	}
	json.Unmarshal(read(t, report), &rep)
	if rep.Verdict.Exit != 1 || !strings.Contains(rep.Verdict.Reason, "in shards missing or unfinished") || !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, name+" is missing") }) {
		t.Errorf("the report's verdict %+v and warnings %q do not say %s is missing", rep.Verdict, rep.Warnings, name)
	}
	// Tolerated, it still says so.
	if r := run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", "--allow-failed-pages", "12"}, others...)...); r.code != 0 || !strings.Contains(r.stderr, name+" is missing") {
		t.Errorf("merge without %s, tolerated: exit %d, want 0 with the warning\n%s", name, r.code, r.stderr)
	}

	// A shard cut short, as a killed shard leaves its stream.
	lines := bytes.SplitAfter(read(t, streams[miss]), []byte("\n"))
	short := filepath.Join(dir, "short.jsonl")
	if err := os.WriteFile(short, lines[0], 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", short}, others...)...)
	want = fmt.Sprintf("%s is incomplete: its results hold 1 of its %d pages", name, missing)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("merge with %s cut short: exit %d, want 1 saying %q\n%s", name, r.code, want, r.stderr)
	}
	// All three: nothing missing.
	if r := run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", "--shard-count", "3"}, streams...)...); r.code != 0 || strings.Contains(r.stderr, "warning") {
		t.Errorf("merge of every shard: exit %d\n%s", r.code, r.stderr)
	}
	// Shards of another split are refused.
	other := filepath.Join(dir, "other.jsonl")
	if r := run(t, "", noEngine, "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--shard", "1/1", "--report", "jsonl="+other, site); r.code != 0 {
		t.Fatalf("shard 1/1: exit %d\n%s", r.code, r.stderr)
	}
	nonEmpty := streams[(miss+1)%3]
	if counts[nonEmpty] == 0 {
		nonEmpty = streams[(miss+2)%3]
	}
	if r := run(t, "", noEngine, "merge", "--fail-on", "none", nonEmpty, other); r.code != 1 || !strings.Contains(r.stderr, "not the shards of one run") {
		t.Errorf("merge of shards of two splits: exit %d, want 1\n%s", r.code, r.stderr)
	}
}

// TestShardWithNoPage splits two pages into four shards: the shards left
// with no page write empty streams, which merge takes as such, and
// merging all four is the whole run.
func TestShardWithNoPage(t *testing.T) {
	site := writeSite(t, 2)
	dir := t.TempDir()
	var streams []string
	empty := 0
	for i := 1; i <= 4; i++ {
		stream := filepath.Join(dir, fmt.Sprintf("shard-%d.jsonl", i))
		streams = append(streams, stream)
		env := append(slices.Clone(noEngine), "CI_NODE_INDEX="+strconv.Itoa(i), "CI_NODE_TOTAL=4")
		if r := run(t, "", env, "audit", "--no-config", "--static", "--quiet", "--fail-on", "none", "--shard", "auto", "--report", "jsonl="+stream, site); r.code != 0 {
			t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
		}
		if len(readStreamLines(t, stream)) == 0 {
			empty++
		}
	}
	if empty < 2 {
		t.Fatalf("%d of 4 shards of 2 pages are empty; want 2 or more", empty)
	}
	r := run(t, "", noEngine, append([]string{"merge", "--fail-on", "none", "--shard-count", "4"}, streams...)...)
	if r.code != 0 || !strings.Contains(r.stderr, "2 of the run's 2 pages") || strings.Contains(r.stderr, "missing") {
		t.Errorf("merge of four shards of two pages: exit %d\n%s", r.code, r.stderr)
	}
}
