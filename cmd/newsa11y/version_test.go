package main

import (
	"runtime/debug"
	"testing"
	"time"
)

// Issue 16, row 18: the version comes from the build.
func TestContractRow18VersionFromBuildInfo(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "5e0ea3b5a9c3fe0cfecd0f253ecf0a45e9cc2120"}}
	for _, c := range []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"go install at a version", debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: rev}, "v1.2.3"},
		{"a clone", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: rev}, "5e0ea3b5a9c3"},
		{"a clone with changes", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: append(rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"})}, "5e0ea3b5a9c3-dirty"},
		{"no VCS", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := versionFrom(&c.bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// Issue 16, row 19: no rate until enough pages and time have passed.
func TestContractRow19RateText(t *testing.T) {
	for _, c := range []struct {
		n       int
		elapsed time.Duration
		want    string
	}{
		{1, 7 * time.Microsecond, ""},
		{2, time.Minute, ""},
		{10, time.Second, ""},
		{10, 10 * time.Second, "1.0 pages/s, about 30s left"},
	} {
		if got := rateText(c.n, 40, c.elapsed); got != c.want {
			t.Errorf("rateText(%d, 40, %v) = %q, want %q", c.n, c.elapsed, got, c.want)
		}
	}
}
