package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// The variables --shard auto reads, by engine.
const (
	// envJobIndex is the 0-based index of a pod of a Kubernetes Indexed
	// Job; the Job's completions are not in the pod's environment, so the
	// count comes from --shard-count.
	envJobIndex = "JOB_COMPLETION_INDEX"
	// envNodeIndex is the 1-based index of a GitLab job with parallel:.
	envNodeIndex = "CI_NODE_INDEX"
	// envNodeTotal is how many jobs a GitLab parallel: runs; GitLab sets
	// it to 1 in a job without parallel:.
	envNodeTotal = "CI_NODE_TOTAL"
)

// Shard sources, as audit.Shard.Source records them.
const (
	shardFromFlag       = "flag"
	shardFromKubernetes = "kubernetes"
	shardFromGitLab     = "gitlab"
)

// shardInput is what the shard of a run is read from: the --shard value
// and the --shard-count value, each with the input it came from (the
// flag or its variable), and the environment's variables.
type shardInput struct {
	value, valueName string
	// count is --shard-count's value, "" when not given.
	count, countName string
	lookupEnv        func(string) (string, bool)
}

// env returns a variable's value, and whether it is set and not blank.
func (in shardInput) env(name string) (string, bool) {
	v, ok := in.lookupEnv(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

// resolveShard reads the run's shard: nil without --shard; the shard
// --shard I/N names; or with --shard auto, the shard the engine running
// the job gives through its variables (see shardFromEngine). A
// --shard-count must agree with the count found, and is refused without
// --shard, where it would be ignored and every machine would audit every
// page.
func resolveShard(in shardInput) (*audit.Shard, error) {
	count := 0
	if in.count != "" {
		n, err := strconv.Atoi(strings.TrimSpace(in.count))
		if err != nil || n < 1 {
			return nil, valueError(in.countName, in.count, "want the number of shards, 1 or more")
		}
		count = n
	}
	switch v := strings.TrimSpace(in.value); {
	case v == "":
		if count > 0 {
			return nil, fmt.Errorf("%s is set but no shard is: give --shard auto (or --shard I/N), or leave the count out", given(in.countName, strconv.Itoa(count)))
		}
		return nil, nil
	case strings.EqualFold(v, "auto"):
		return shardFromEngine(in, count)
	default:
		i, n, err := parseShard(v)
		if err != nil {
			return nil, fmt.Errorf("%s %q: want I/N with 1 ≤ I ≤ N, e.g. 2/4, or auto", in.valueName, in.value)
		}
		if count > 0 && count != n {
			return nil, fmt.Errorf("%s and %s disagree on the number of shards", given(in.valueName, v), given(in.countName, strconv.Itoa(count)))
		}
		return &audit.Shard{Index: i, Count: n, Source: shardFromFlag, From: given(in.valueName, v)}, nil
	}
}

// shardFromEngine reads the shard of --shard auto from the variables of
// the engines that run jobs in parallel: a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX (0-based), with the count from --shard-count
// (which the Job's manifest sets to its completions); or a GitLab
// parallel: job's CI_NODE_INDEX and CI_NODE_TOTAL (1-based). count is
// --shard-count's value, 0 when not given. GitHub Actions gives a
// matrix job no such variable: its steps pass --shard I/N themselves.
func shardFromEngine(in shardInput, count int) (*audit.Shard, error) {
	jobIndex, onKubernetes := in.env(envJobIndex)
	nodeIndex, hasNodeIndex := in.env(envNodeIndex)
	nodeTotal, hasNodeTotal := in.env(envNodeTotal)
	switch {
	case onKubernetes && hasNodeIndex:
		return nil, fmt.Errorf("--shard auto: both %s=%s (a Kubernetes Indexed Job) and %s=%s (a GitLab parallel: job) are set, and they may disagree: unset the one that does not belong to this job, or give --shard I/N", envJobIndex, jobIndex, envNodeIndex, nodeIndex)
	case onKubernetes:
		i, err := strconv.Atoi(jobIndex)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("--shard auto: %s %q: want the pod's index, a whole number from 0", envJobIndex, jobIndex)
		}
		if count == 0 {
			return nil, fmt.Errorf("--shard auto: %s=%s says this is a pod of a Kubernetes Indexed Job, but not how many shards there are: set --shard-count (or NEWSA11Y_SHARD_COUNT) to the Job's completions", envJobIndex, jobIndex)
		}
		if i >= count {
			return nil, fmt.Errorf("--shard auto: %s=%d is outside the %d shards of %s (indexes 0 to %d): %s must equal the Job's completions", envJobIndex, i, count, given(in.countName, strconv.Itoa(count)), count-1, in.countName)
		}
		return &audit.Shard{Index: i + 1, Count: count, Source: shardFromKubernetes,
			From: fmt.Sprintf("%s=%d, %s", envJobIndex, i, given(in.countName, strconv.Itoa(count)))}, nil
	case hasNodeIndex || hasNodeTotal:
		return gitLabShard(nodeIndex, hasNodeIndex, nodeTotal, hasNodeTotal, count, in.countName)
	}
	msg := fmt.Sprintf("--shard auto: none of the variables that say which shard a job is are set: %s (a Kubernetes Indexed Job, with --shard-count), %s and %s (a GitLab job with parallel:)", envJobIndex, envNodeIndex, envNodeTotal)
	if v, _ := in.env("GITHUB_ACTIONS"); v == "true" {
		return nil, errors.New(msg + "; a GitHub Actions matrix job gives its shard itself: --shard ${{ matrix.shard }}/N")
	}
	return nil, errors.New(msg + "; elsewhere, give --shard I/N")
}

// gitLabShard reads the shard of a GitLab job from CI_NODE_INDEX and
// CI_NODE_TOTAL. A job without parallel: has CI_NODE_TOTAL=1 and no
// index, and is the one shard of its run.
func gitLabShard(index string, hasIndex bool, total string, hasTotal bool, count int, countName string) (*audit.Shard, error) {
	if !hasTotal {
		return nil, fmt.Errorf("--shard auto: %s=%s is set but %s is not: want both, as GitLab sets them in a parallel: job", envNodeIndex, index, envNodeTotal)
	}
	n, err := strconv.Atoi(total)
	if err != nil || n < 1 {
		return nil, fmt.Errorf("--shard auto: %s %q: want how many jobs parallel: runs, 1 or more", envNodeTotal, total)
	}
	i := 1
	if hasIndex {
		if i, err = strconv.Atoi(index); err != nil {
			return nil, fmt.Errorf("--shard auto: %s %q: want the job's index, a whole number from 1", envNodeIndex, index)
		}
	} else if n > 1 {
		return nil, fmt.Errorf("--shard auto: %s=%d is set but %s is not: want both, as GitLab sets them in a parallel: job", envNodeTotal, n, envNodeIndex)
	}
	if i < 1 || i > n {
		return nil, fmt.Errorf("--shard auto: %s=%d is outside the %d jobs of %s=%d (indexes 1 to %d)", envNodeIndex, i, n, envNodeTotal, n, n)
	}
	if count > 0 && count != n {
		return nil, fmt.Errorf("--shard auto: %s=%d (the job's parallel:) and %s disagree on the number of shards: make them equal", envNodeTotal, n, given(countName, strconv.Itoa(count)))
	}
	from := fmt.Sprintf("%s=%d, %s=%d", envNodeIndex, i, envNodeTotal, n)
	if !hasIndex {
		from = fmt.Sprintf("%s=%d (a job without parallel:)", envNodeTotal, n)
	}
	return &audit.Shard{Index: i, Count: n, Source: shardFromGitLab, From: from}, nil
}

// given names an input with its value: "--shard 2/4" for a flag,
// "NEWSA11Y_SHARD=2/4" for a variable.
func given(input, value string) string {
	if strings.HasPrefix(input, "-") {
		return input + " " + value
	}
	return input + "=" + value
}

// shardLine says which shard a run is, where that came from, and how
// many of the run's pages it has: "shard 2/4 (kubernetes:
// JOB_COMPLETION_INDEX=1, NEWSA11Y_SHARD_COUNT=4): 12 of the run's 50
// pages".
func shardLine(s *audit.Shard) string {
	return fmt.Sprintf("shard %d/%d (%s: %s): %s of the run's %d", s.Index, s.Count, s.Source, s.From, pagesWord(s.Pages), s.RunPages)
}

// shardTally gathers what the results given to merge say of the shards
// they came from: each JSON report's shard, and each page's.
type shardTally struct {
	// count is the number of shards of the run; 0 until a result names
	// one.
	count int
	// countFrom names the result the count was first read from.
	countFrom string
	// shards holds what was seen of each shard, by index.
	shards map[int]*shardSeen
	// runPages are the run's page counts the shards reported.
	runPages []int
}

// shardSeen is what the results hold of one shard.
type shardSeen struct {
	// pages is how many pages fell to the shard.
	pages int
	// got holds the pages of the shard the results hold, by URL.
	got map[string]bool
}

// add records a shard a result names: the file's own, when page is "",
// or a page's.
func (t *shardTally) add(path string, s *audit.Shard, page string) error {
	if s == nil {
		return nil
	}
	if t.count == 0 {
		t.count, t.countFrom, t.shards = s.Count, path, map[int]*shardSeen{}
	}
	if s.Count != t.count || s.Index < 1 || s.Index > s.Count {
		return fmt.Errorf("%s holds shard %d/%d, but %s holds shards of %d: these are not the shards of one run", path, s.Index, s.Count, t.countFrom, t.count)
	}
	seen := t.shards[s.Index]
	if seen == nil {
		seen = &shardSeen{got: map[string]bool{}}
		t.shards[s.Index] = seen
	}
	seen.pages = max(seen.pages, s.Pages)
	if page != "" {
		seen.got[page] = true
	}
	if !slices.Contains(t.runPages, s.RunPages) {
		t.runPages = append(t.runPages, s.RunPages)
	}
	return nil
}

// check compares what the results hold with the run's shards: expected
// is --shard-count, 0 when not given, and expectedName the input it
// came from. It returns how many of the run's
// pages the results lack (those of a missing shard, and those a shard
// did not finish), the warnings that say which, and a line that
// summarises the shards merged ("" when the results name no shard). An
// error is a count that disagrees with expected, or results of no shard
// when shards are expected.
func (t *shardTally) check(expected int, expectedName string) (lacking int, warnings []string, summary string, err error) {
	if t.count == 0 {
		if expected > 0 {
			return 0, nil, "", fmt.Errorf("%s: no result given names its shard (none holds a page a sharded run audited): are all %d shards missing?", given(expectedName, strconv.Itoa(expected)), expected)
		}
		return 0, nil, "", nil
	}
	if expected > 0 && expected != t.count {
		return 0, nil, "", fmt.Errorf("%s, but %s holds shards of %d", given(expectedName, strconv.Itoa(expected)), t.countFrom, t.count)
	}
	runPages := slices.Max(t.runPages)
	if len(t.runPages) > 1 {
		slices.Sort(t.runPages)
		warnings = append(warnings, fmt.Sprintf("the shards read different page lists (%s pages in the whole run): each took its own pages from its own reading of the inputs; give them one fixed list (--urls, a saved sitemap, a --since date) so that none is missed", joinInts(t.runPages)))
	}
	var missing []string
	var merged []int
	got, assigned := 0, 0
	for i := 1; i <= t.count; i++ {
		seen := t.shards[i]
		if seen == nil {
			missing = append(missing, strconv.Itoa(i))
			continue
		}
		merged = append(merged, i)
		got += len(seen.got)
		assigned += seen.pages
		if n := len(seen.got); n < seen.pages {
			lacking += seen.pages - n
			warnings = append(warnings, fmt.Sprintf("shard %d/%d is incomplete: its results hold %d of its %s (was it stopped? run it again with --resume on its stream)", i, t.count, n, pagesWord(seen.pages)))
		}
	}
	if rest := runPages - assigned; len(missing) > 0 && rest > 0 {
		lacking += rest
		which := "shard " + missing[0] + "/" + strconv.Itoa(t.count) + " is missing: no result holds a page of it"
		if len(missing) > 1 {
			which = fmt.Sprintf("shards %s of %d are missing: no result holds a page of them", strings.Join(missing, ", "), t.count)
		}
		warnings = append(warnings, fmt.Sprintf("%s, and the shards given have %d of the run's %s, so %s went unaudited", which, assigned, pagesWord(runPages), pagesWord(rest)))
	}
	summary = fmt.Sprintf("merged shards %s of %d: %d of the run's %s", joinInts(merged), t.count, got, pagesWord(runPages))
	return lacking, warnings, summary, nil
}

// joinInts writes numbers as "1, 2, 4".
func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
