package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/access"
	"github.com/newsa11y/newsa11y/config"
	"github.com/newsa11y/newsa11y/internal/termsafe"
)

// basicAuthEnv names the variable that holds basic-auth credentials for
// every audited page's origin.
const basicAuthEnv = "NEWSA11Y_BASIC_AUTH"

// resolveGates reads what gets pages behind logins through: --header,
// --cookies (or the configuration's defaults.header and defaults.cookies),
// NEWSA11Y_BASIC_AUTH, and the configuration's auth entries by URL
// pattern. Each is checked here, before any browser starts; an error
// names the input and never repeats a secret. Every secret is given to
// access.Protect, so that no output shows it.
func resolveGates(l lookup, cfg *config.File, s *settings) error {
	gs := &access.Gates{}
	for i, raw := range l.list("header", l.d.Header) {
		h, err := access.ParseHeader(raw)
		if err != nil {
			return fmt.Errorf("%s: header %d: %v", l.name("header"), i+1, err)
		}
		audit.Protect(h.Value)
		gs.All.Headers = append(gs.All.Headers, h)
	}
	if path := l.str("cookies", l.d.Cookies); path != "" {
		st, err := readState(path)
		if err != nil {
			return fmt.Errorf("%s: %v", l.name("cookies"), err)
		}
		gs.All.State = st
	}
	if v := os.Getenv(basicAuthEnv); v != "" {
		c, err := audit.ParseCredentials(v)
		if err != nil {
			return fmt.Errorf("%s: %v", basicAuthEnv, err)
		}
		audit.Protect(c.Password)
		gs.All.BasicAuth = &c
	}
	if cfg != nil {
		for i, a := range cfg.Auth {
			r, err := authRule(a)
			if err != nil {
				return fmt.Errorf("config %s: line %d: auth[%d].%v", cfg.Path, a.Line, i, err)
			}
			gs.Rules = append(gs.Rules, r)
		}
	}
	if !gs.Empty() {
		s.gates = gs
	}
	return nil
}

// readState reads a cookies file and protects its values.
func readState(path string) (*access.State, error) {
	st, err := access.ReadState(path)
	if err != nil {
		return nil, fmt.Errorf("cookies file %s: %v", termsafe.String(path), err)
	}
	audit.Protect(st.Values()...)
	return st, nil
}

// authRule turns a configuration auth entry into a rule. Its errors start
// with the key they are about.
func authRule(a config.Auth) (access.Rule, error) {
	r := access.Rule{Pattern: a.URL}
	for i, raw := range a.Header {
		v, err := expandEnv(raw)
		if err != nil {
			return r, fmt.Errorf("header[%d]: %v", i, err)
		}
		h, err := access.ParseHeader(v)
		if err != nil {
			return r, fmt.Errorf("header[%d]: %v", i, err)
		}
		audit.Protect(h.Value)
		r.Gate.Headers = append(r.Gate.Headers, h)
	}
	if a.Cookies != "" {
		path, err := expandEnv(a.Cookies)
		if err != nil {
			return r, fmt.Errorf("cookies: %v", err)
		}
		if r.Gate.State, err = readState(path); err != nil {
			return r, fmt.Errorf("cookies: %v", err)
		}
	}
	if a.BasicAuth != "" {
		v, err := expandEnv(a.BasicAuth)
		if err != nil {
			return r, fmt.Errorf("basic_auth: %v", err)
		}
		c, err := audit.ParseCredentials(v)
		if err != nil {
			return r, fmt.Errorf("basic_auth: %v", err)
		}
		audit.Protect(c.Password)
		r.Gate.BasicAuth = &c
	}
	return r, nil
}

// envRef is a reference to an environment variable in a configuration
// value: ${NAME}.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces each ${NAME} in a configuration value with the
// variable's value; a variable that is not set, or empty, is an error.
func expandEnv(v string) (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(v, func(ref string) string {
		name := envRef.FindStringSubmatch(ref)[1]
		val := os.Getenv(name)
		if val == "" {
			missing = append(missing, name)
		}
		return val
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("the environment variable %s is not set (or empty)", strings.Join(missing, ", "))
	}
	return out, nil
}
