package main

import (
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
)

// envOf is a lookup over the given variables only.
func envOf(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

func TestResolveShard(t *testing.T) {
	k8s := map[string]string{"JOB_COMPLETION_INDEX": "2"}
	gitlab := map[string]string{"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "4"}
	for _, tc := range []struct {
		name         string
		value, count string
		env          map[string]string
		want         *audit.Shard
		wantErr      []string
	}{
		{name: "no shard", env: gitlab},
		{name: "explicit", value: "2/4", env: gitlab, want: &audit.Shard{Index: 2, Count: 4, Source: "flag", From: "--shard 2/4"}},
		{name: "explicit with its count", value: "2/4", count: "4", want: &audit.Shard{Index: 2, Count: 4, Source: "flag", From: "--shard 2/4"}},
		{name: "explicit against the count", value: "2/4", count: "3", wantErr: []string{"--shard 2/4 and NEWSA11Y_SHARD_COUNT=3 disagree"}},
		{name: "bad explicit", value: "5/4", wantErr: []string{`"5/4"`, "or auto"}},
		{name: "a count and no shard", count: "4", wantErr: []string{"NEWSA11Y_SHARD_COUNT=4 is set but no shard is"}},
		{name: "a count that is no number", value: "auto", count: "four", env: k8s, wantErr: []string{`NEWSA11Y_SHARD_COUNT "four"`}},

		{name: "kubernetes", value: "auto", count: "4", env: k8s,
			want: &audit.Shard{Index: 3, Count: 4, Source: "kubernetes", From: "JOB_COMPLETION_INDEX=2, NEWSA11Y_SHARD_COUNT=4"}},
		{name: "kubernetes, first pod", value: "AUTO", count: "4", env: map[string]string{"JOB_COMPLETION_INDEX": "0"},
			want: &audit.Shard{Index: 1, Count: 4, Source: "kubernetes", From: "JOB_COMPLETION_INDEX=0, NEWSA11Y_SHARD_COUNT=4"}},
		{name: "kubernetes without a count", value: "auto", env: k8s, wantErr: []string{"JOB_COMPLETION_INDEX=2", "NEWSA11Y_SHARD_COUNT", "completions"}},
		{name: "kubernetes index past the count", value: "auto", count: "2", env: k8s, wantErr: []string{"JOB_COMPLETION_INDEX=2 is outside the 2 shards", "indexes 0 to 1"}},
		{name: "kubernetes index not a number", value: "auto", count: "2", env: map[string]string{"JOB_COMPLETION_INDEX": "-1"}, wantErr: []string{`JOB_COMPLETION_INDEX "-1"`}},
		{name: "kubernetes beside GitLab's total of a plain job", value: "auto", count: "4", env: map[string]string{"JOB_COMPLETION_INDEX": "1", "CI_NODE_TOTAL": "1"},
			want: &audit.Shard{Index: 2, Count: 4, Source: "kubernetes", From: "JOB_COMPLETION_INDEX=1, NEWSA11Y_SHARD_COUNT=4"}},

		{name: "gitlab", value: "auto", env: gitlab, want: &audit.Shard{Index: 3, Count: 4, Source: "gitlab", From: "CI_NODE_INDEX=3, CI_NODE_TOTAL=4"}},
		{name: "gitlab with the same count", value: "auto", count: "4", env: gitlab, want: &audit.Shard{Index: 3, Count: 4, Source: "gitlab", From: "CI_NODE_INDEX=3, CI_NODE_TOTAL=4"}},
		{name: "gitlab against the count", value: "auto", count: "5", env: gitlab, wantErr: []string{"CI_NODE_TOTAL=4", "NEWSA11Y_SHARD_COUNT=5 disagree"}},
		{name: "gitlab job without parallel", value: "auto", env: map[string]string{"CI_NODE_TOTAL": "1"},
			want: &audit.Shard{Index: 1, Count: 1, Source: "gitlab", From: "CI_NODE_TOTAL=1 (a job without parallel:)"}},
		{name: "gitlab total without index", value: "auto", env: map[string]string{"CI_NODE_TOTAL": "3"}, wantErr: []string{"CI_NODE_TOTAL=3 is set but CI_NODE_INDEX is not"}},
		{name: "gitlab index without total", value: "auto", env: map[string]string{"CI_NODE_INDEX": "2"}, wantErr: []string{"CI_NODE_INDEX=2 is set but CI_NODE_TOTAL is not"}},
		{name: "gitlab index past the total", value: "auto", env: map[string]string{"CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "4"}, wantErr: []string{"CI_NODE_INDEX=5 is outside the 4 jobs", "indexes 1 to 4"}},
		{name: "gitlab index 0", value: "auto", env: map[string]string{"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"}, wantErr: []string{"CI_NODE_INDEX=0 is outside"}},

		{name: "both engines", value: "auto", count: "4", env: map[string]string{"JOB_COMPLETION_INDEX": "1", "CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "4"},
			wantErr: []string{"both JOB_COMPLETION_INDEX=1", "CI_NODE_INDEX=3"}},
		{name: "no engine", value: "auto", env: map[string]string{"JOB_COMPLETION_INDEX": " "},
			wantErr: []string{"none of the variables", "JOB_COMPLETION_INDEX", "CI_NODE_INDEX and CI_NODE_TOTAL", "give --shard I/N"}},
		{name: "github", value: "auto", env: map[string]string{"GITHUB_ACTIONS": "true"},
			wantErr: []string{"none of the variables", "--shard ${{ matrix.shard }}/N"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveShard(shardInput{
				value: tc.value, valueName: "--shard",
				count: tc.count, countName: "NEWSA11Y_SHARD_COUNT",
				lookupEnv: envOf(tc.env),
			})
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("got shard %+v, want an error saying %q", got, tc.wantErr)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// page is a result of shard i of n, whose shard had pages of the run's
// runPages.
func page(url string, i, n, pages, runPages int) audit.PageResult {
	return audit.PageResult{URL: url, Shard: &audit.Shard{Index: i, Count: n, Pages: pages, RunPages: runPages}}
}

func TestShardTally(t *testing.T) {
	tally := func(t *testing.T, results map[string][]audit.PageResult) *shardTally {
		t.Helper()
		var st shardTally
		for path, pages := range results {
			for _, p := range pages {
				if err := st.add(path, p.Shard, p.URL); err != nil {
					t.Fatal(err)
				}
			}
		}
		return &st
	}
	t.Run("whole", func(t *testing.T) {
		st := tally(t, map[string][]audit.PageResult{
			"1": {page("a", 1, 3, 2, 3), page("b", 1, 3, 2, 3)},
			"2": {page("c", 2, 3, 1, 3)},
		})
		// Shard 3 had no page: the others hold all 3.
		lacking, warnings, summary, err := st.check(3, "--shard-count")
		if err != nil || lacking != 0 || len(warnings) != 0 {
			t.Errorf("lacking %d, warnings %q, error %v; want none", lacking, warnings, err)
		}
		if summary != "merged shards 1, 2 of 3: 3 of the run's 3 pages" {
			t.Errorf("summary %q", summary)
		}
	})
	t.Run("missing", func(t *testing.T) {
		st := tally(t, map[string][]audit.PageResult{
			"1": {page("a", 1, 4, 1, 6)},
			"3": {page("c", 3, 4, 2, 6), page("d", 3, 4, 2, 6)},
		})
		lacking, warnings, _, err := st.check(0, "--shard-count")
		if err != nil || lacking != 3 || len(warnings) != 1 || !strings.Contains(warnings[0], "shards 2, 4 of 4 are missing") || !strings.Contains(warnings[0], "3 of the run's 6 pages, so 3 pages went unaudited") {
			t.Errorf("lacking %d, warnings %q, error %v", lacking, warnings, err)
		}
	})
	t.Run("incomplete", func(t *testing.T) {
		st := tally(t, map[string][]audit.PageResult{"2": {page("c", 2, 2, 3, 4)}, "1": {page("a", 1, 2, 1, 4)}})
		lacking, warnings, _, _ := st.check(2, "--shard-count")
		if lacking != 2 || len(warnings) != 1 || !strings.Contains(warnings[0], "shard 2/2 is incomplete: its results hold 1 of its 3 pages") {
			t.Errorf("lacking %d, warnings %q", lacking, warnings)
		}
	})
	t.Run("different lists", func(t *testing.T) {
		st := tally(t, map[string][]audit.PageResult{"1": {page("a", 1, 2, 1, 2)}, "2": {page("b", 2, 2, 1, 3)}})
		_, warnings, _, _ := st.check(0, "--shard-count")
		if len(warnings) == 0 || !strings.Contains(warnings[0], "different page lists (2, 3 pages") {
			t.Errorf("warnings %q", warnings)
		}
	})
	t.Run("another split", func(t *testing.T) {
		var st shardTally
		st.add("a.jsonl", &audit.Shard{Index: 1, Count: 4}, "a")
		if err := st.add("b.jsonl", &audit.Shard{Index: 2, Count: 3}, "b"); err == nil || !strings.Contains(err.Error(), "b.jsonl holds shard 2/3, but a.jsonl holds shards of 4") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("against the count expected", func(t *testing.T) {
		st := tally(t, map[string][]audit.PageResult{"a.jsonl": {page("a", 1, 3, 1, 1)}})
		if _, _, _, err := st.check(4, "NEWSA11Y_SHARD_COUNT"); err == nil || !strings.Contains(err.Error(), "NEWSA11Y_SHARD_COUNT=4, but a.jsonl holds shards of 3") {
			t.Errorf("error %v", err)
		}
		var none shardTally
		if _, _, _, err := none.check(4, "--shard-count"); err == nil || !strings.Contains(err.Error(), "are all 4 shards missing") {
			t.Errorf("no shard at all: error %v", err)
		}
	})
}
