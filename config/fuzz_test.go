package config_test

import (
	"slices"
	"testing"

	"github.com/newsa11y/newsa11y/config"
)

// FuzzParse feeds arbitrary documents to the configuration parser: it must
// return a file or an error, never panic, and a file it accepts has
// reasons on every ignore.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		full,
		"defaults:\n  fail_on: minor\n",
		`{"urls": ["a.html", {"url": "b.html", "timeout": "5s"}]}`,
		"ignore:\n  - rule: x\n    reason: y\n    expires: 2027-01-01\n",
		"urls: [&a [*a]]\n",
		"defaults: !!binary aGVsbG8=\n",
		"\t- : :\n",
		"setup:\n  - navigate: https://a.example/\n  - type: {selector: \"#p\", env: P}\n  - wait_network_quiet\nsetup_per: page\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse("fuzz.yml", data)
		if err != nil {
			return
		}
		for _, ig := range cfg.Ignore {
			if ig.Reason == "" || ig.Rule == "" {
				t.Fatalf("accepted an ignore without a rule or a reason: %+v", ig)
			}
		}
		for i, st := range cfg.Setup {
			if !slices.Contains(config.SetupKinds, st.Kind) || (i == 0 && st.Kind != "navigate") {
				t.Fatalf("accepted setup step %d: %+v", i, st)
			}
		}
	})
}
