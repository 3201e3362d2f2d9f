package main

import (
	"regexp"
	"testing"
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// TestRunIDFromTheCIEnvironment holds where a run id comes from: the
// flag, then GitHub Actions' run (whatever the attempt), then GitLab's pipeline,
// then a new one from the time.
func TestRunIDFromTheCIEnvironment(t *testing.T) {
	now := time.Date(2026, 11, 30, 2, 3, 4, 0, time.UTC)
	for _, c := range []struct {
		name, given string
		env         map[string]string
		want        string
	}{
		{"flag wins", "nightly-7", map[string]string{"GITHUB_RUN_ID": "99", "CI_PIPELINE_ID": "5"}, "^nightly-7$"},
		{"github, any attempt", "", map[string]string{"GITHUB_RUN_ID": "99", "GITHUB_RUN_ATTEMPT": "2", "CI_PIPELINE_ID": "5"}, "^github-99$"},
		{"github first attempt", "", map[string]string{"GITHUB_RUN_ID": "99", "GITHUB_RUN_ATTEMPT": "1"}, "^github-99$"},
		{"gitlab", "", map[string]string{"CI_PIPELINE_ID": "5"}, "^gitlab-5$"},
		{"fresh", "", nil, "^20261130T020304Z-[0-9a-f]{6}$"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, v := range []string{"GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "CI_PIPELINE_ID"} {
				t.Setenv(v, c.env[v])
			}
			if got := runID(c.given, now); !regexp.MustCompile(c.want).MatchString(got) {
				t.Errorf("runID = %q, want %s", got, c.want)
			}
		})
	}
	if a, b := runID("", now), runID("", now); a == b {
		t.Errorf("two fresh run ids at the same time are equal: %s", a)
	}
}

// TestPagesKeyIgnoresTheShard holds what store:LATEST matches: the
// sources of the pages, not how the run was split or gated.
func TestPagesKeyIgnoresTheShard(t *testing.T) {
	a := &settings{targets: []string{"https://news.example/"}, sitemaps: []string{"https://news.example/sitemap.xml"}, shard: &audit.Shard{Index: 1, Count: 2}}
	b := &settings{targets: []string{"https://news.example/"}, sitemaps: []string{"https://news.example/sitemap.xml"}, shard: &audit.Shard{Index: 2, Count: 2}, gate: 3}
	c := &settings{targets: []string{"https://other.example/"}, sitemaps: []string{"https://news.example/sitemap.xml"}}
	if requestOf(a, 1).PagesKey != requestOf(b, 9).PagesKey {
		t.Error("two shards of one job have different page keys")
	}
	if requestOf(a, 1).PagesKey == requestOf(c, 1).PagesKey {
		t.Error("runs of other targets share a page key")
	}
}

// TestViewKeyTellsHowThePagesWereSeen holds the other half of what
// store:LATEST matches: a static run, a phone run and a run at another
// viewport are not baselines of each other, whatever the shard.
func TestViewKeyTellsHowThePagesWereSeen(t *testing.T) {
	base := func() *settings {
		s := &settings{targets: []string{"https://news.example/"}, shard: &audit.Shard{Index: 1, Count: 2}}
		s.viewport.Width, s.viewport.Height = 1280, 800
		return s
	}
	desk := requestOf(base(), 1)
	other := base()
	other.shard = &audit.Shard{Index: 2, Count: 2}
	if requestOf(other, 3).ViewKey != desk.ViewKey {
		t.Error("two shards of one job are seen differently")
	}
	static, mobile, wide := base(), base(), base()
	static.static = true
	mobile.mobile = true
	wide.viewport.Width = 1920
	for name, s := range map[string]*settings{"static": static, "mobile": mobile, "wide": wide} {
		r := requestOf(s, 1)
		if r.ViewKey == desk.ViewKey {
			t.Errorf("a %s run has the view key of a desktop run", name)
		}
		if r.PagesKey != desk.PagesKey {
			t.Errorf("a %s run of the same pages has another pages key", name)
		}
	}
}
