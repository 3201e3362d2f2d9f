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
	// loader is the loader the annotation is limited to ("chrome" or
	// "static"), "" for both.
	loader string
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
	all, err := annotations(p)
	if err != nil {
		return nil, err
	}
	var out []*expectation
	for _, e := range all {
		if e.loader == "" || e.loader == p.Loader {
			out = append(out, e)
		}
	}
	return out, nil
}

// annotations reads every annotation of a snapshot, whichever loader it is
// limited to. A malformed annotation is an error.
func annotations(p *audit.Page) ([]*expectation, error) {
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
		// Only \" is an escape; other backslashes belong to the regexp.
		pattern := strings.ReplaceAll(m[4][1:len(m[4])-1], `\"`, `"`)
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("annotation <!--%s-->: %w", n.Data, err)
		}
		e := &expectation{outcome: audit.Violation, rule: m[3], re: re, text: strings.TrimSpace(n.Data), loader: strings.TrimPrefix(m[2], "@")}
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

// namingProblems holds fixture element ids to the outcome they name: an
// element whose id starts with "violation" or "review" must carry a want
// annotation, and one whose id starts with "pass" none but want@static
// ones, for what only the static loader, which cannot see layout, gets
// wrong.
func namingProblems(p *audit.Page) []string {
	all, err := annotations(p)
	if err != nil {
		return []string{err.Error()}
	}
	type marks struct{ any, notStatic bool }
	byNode := map[audit.NodeID]*marks{}
	for _, e := range all {
		m := byNode[e.node]
		if m == nil {
			m = &marks{}
			byNode[e.node] = m
		}
		m.any = true
		if e.loader != "static" {
			m.notStatic = true
		}
	}
	var problems []string
	for n := range p.Elements() {
		id, _ := p.Node(n).Attr("id")
		m := byNode[n]
		if m == nil {
			m = &marks{}
		}
		switch {
		case (strings.HasPrefix(id, "violation") || strings.HasPrefix(id, "review")) && !m.any:
			problems = append(problems, fmt.Sprintf("element #%s is named for a finding but carries no want annotation", id))
		case strings.HasPrefix(id, "pass") && m.notStatic:
			problems = append(problems, fmt.Sprintf("element #%s is named for a pass but carries a want annotation (only want@static may stand before a pass)", id))
		}
	}
	return problems
}
