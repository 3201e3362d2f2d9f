package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/newsa11y/newsa11y/audit"

	"github.com/newsa11y/newsa11y/audit/chrome"
	"github.com/newsa11y/newsa11y/config"
)

// resolveSetup turns the configuration file's setup list into the
// browser's steps, before the browser starts: each selector must be one a
// browser could accept, and each variable a type step reads must be set.
// A value read from the environment never appears in an error.
func resolveSetup(cfg *config.File, s *settings) error {
	if cfg == nil || len(cfg.Setup) == 0 {
		return nil
	}
	s.setupPer = chrome.SetupPerContext
	if cfg.SetupPer != "" {
		s.setupPer = chrome.SetupPer(cfg.SetupPer)
	}
	for i, st := range cfg.Setup {
		where := fmt.Sprintf("config %s: line %d: setup[%d].%s", cfg.Path, st.Line, i, st.Kind)
		step := chrome.SetupStep{Kind: st.Kind, URL: st.URL, Selector: st.Selector, Text: st.Text, Key: st.Key}
		if st.Selector != "" {
			if err := checkSelector(st.Selector); err != nil {
				return fmt.Errorf("%s %q: not a CSS selector: %v", where, st.Selector, err)
			}
		}
		if st.Env != "" {
			v, ok := os.LookupEnv(st.Env)
			if !ok || v == "" {
				return fmt.Errorf("%s.env: the variable %s is not set; the step types its value", where, st.Env)
			}
			step.Text = v
			// A typed secret (a password) never reaches an output.
			audit.Protect(v)
		}
		s.setup = append(s.setup, step)
	}
	if s.static {
		return errors.New("the configuration's setup steps need the browser; they cannot run with --static")
	}
	return nil
}
