package audittest

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
)

// An expectation is one <!-- want … --> annotation of a fixture.
type expectation struct {
	// node is the element the finding must be reported at.
	node audit.NodeID
	// outcome is the expected outcome.
	outcome audit.Outcome
	// rule, when set, is the rule that must report it.
	rule string
	// re must match the finding's message.
	re *regexp.Regexp
	// text is the annotation as written, for error messages.
	text string
	// matched is set once a finding satisfied the expectation.
	matched bool
}

// wantPattern parses an annotation:
//
//	want[:review][:page][@chrome|@static] [RULE-ID] "REGEXP"
var wantPattern = regexp.MustCompile(`^\s*want((?::review|:page)*)(@chrome|@static)?\s+(?:([a-z0-9-]+)\s+)?("(?:[^"\\]|\\.)*")\s*$`)

// expectations reads the annotations of a snapshot that apply to the
// loader that captured it. A malformed annotation is an error.
func expectations(p *audit.Page) ([]*expectation, error) {
	var out []*expectation
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if n.Kind != audit.CommentNode || !strings.HasPrefix(strings.TrimSpace(n.Data), "want") {
			continue
		}
		m := wantPattern.FindStringSubmatch(n.Data)
		if m == nil {
			return nil, fmt.Errorf("malformed annotation <!--%s-->: want[:review][:page][@chrome|@static] [RULE] \"REGEXP\"", n.Data)
		}
		if m[2] != "" && m[2] != "@"+p.Loader {
			continue
		}
		// Only \" is an escape; other backslashes belong to the regexp.
		pattern := strings.ReplaceAll(m[4][1:len(m[4])-1], `\"`, `"`)
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("annotation <!--%s-->: %w", n.Data, err)
		}
		e := &expectation{outcome: audit.Violation, rule: m[3], re: re, text: strings.TrimSpace(n.Data)}
		if strings.Contains(m[1], ":review") {
			e.outcome = audit.Review
		}
		if strings.Contains(m[1], ":page") {
			e.node = p.DocumentElement()
		} else {
			e.node = p.NextElementSibling(audit.NodeID(i))
			if e.node == audit.NoNode {
				return nil, fmt.Errorf("annotation <!--%s--> has no element after it", n.Data)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// match pairs findings with expectations and returns one error line per
// unexpected finding and per expectation no finding met.
func match(p *audit.Page, findings []audit.Finding, exps []*expectation) []string {
	var problems []string
	for _, f := range findings {
		found := false
		for _, e := range exps {
			if e.node == f.Node && e.outcome == f.Outcome && (e.rule == "" || e.rule == f.Rule) && e.re.MatchString(f.Message) {
				e.matched = true
				found = true
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("unexpected %s %s at %s: %s", f.Outcome, f.Rule, audit.Selector(p, f.Node), f.Message))
		}
	}
	for _, e := range exps {
		if !e.matched {
			problems = append(problems, fmt.Sprintf("no finding matched <!-- %s --> at %s", e.text, audit.Selector(p, e.node)))
		}
	}
	return problems
}
