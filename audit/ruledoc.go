package audit

import (
	"fmt"
	"strings"
)

// A Doc explains a rule: what it checks, why, how to fix it, and an example
// of markup that fails and one that passes.
type Doc struct {
	// Summary is the first paragraph: what the rule checks and why.
	Summary string
	// Text is the rest of the discussion, possibly empty.
	Text string
	// Fix says in plain words what to change; reports show it as help.
	Fix string
	// Bad is HTML that the rule flags.
	Bad string
	// Good is HTML that passes.
	Good string
}

// ParseDocs reads rule documentation from Markdown. Each rule is a section
// headed "# Rule ID"; inside it, the text up to the first "## " heading is
// the summary (first paragraph) and discussion, and the subsections "## Fix",
// "## Bad" and "## Good" give the fix and the examples (the examples inside
// fenced code blocks).
func ParseDocs(md string) (map[string]Doc, error) {
	docs := map[string]Doc{}
	var id, sub string
	var body []string
	var cur Doc
	flush := func() error {
		text := strings.TrimSpace(strings.Join(body, "\n"))
		body = nil
		switch sub {
		case "":
			para, rest, _ := strings.Cut(text, "\n\n")
			cur.Summary = strings.Join(strings.Fields(para), " ")
			cur.Text = strings.TrimSpace(rest)
		case "fix":
			cur.Fix = strings.Join(strings.Fields(text), " ")
		case "bad":
			cur.Bad = fenced(text)
		case "good":
			cur.Good = fenced(text)
		default:
			return fmt.Errorf("rule %s: unknown section %q", id, sub)
		}
		return nil
	}
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "# Rule "):
			if id != "" {
				if err := flush(); err != nil {
					return nil, err
				}
				docs[id] = cur
			}
			id = strings.TrimSpace(strings.TrimPrefix(line, "# Rule "))
			if _, dup := docs[id]; dup {
				return nil, fmt.Errorf("rule %s documented twice", id)
			}
			sub, cur = "", Doc{}
		case strings.HasPrefix(line, "## ") && id != "":
			if err := flush(); err != nil {
				return nil, err
			}
			sub = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(line, "## ")))
		default:
			if id != "" {
				body = append(body, line)
			}
		}
	}
	if id != "" {
		if err := flush(); err != nil {
			return nil, err
		}
		docs[id] = cur
	}
	return docs, nil
}

// fenced returns the content of the first fenced code block in text, or
// text itself when there is none.
func fenced(text string) string {
	start := strings.Index(text, "```")
	if start < 0 {
		return text
	}
	rest := text[start+3:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[nl+1:]
	}
	end := strings.Index(rest, "```")
	if end < 0 {
		return strings.TrimSpace(rest)
	}
	return strings.TrimRight(rest[:end], "\n ")
}

// MustDocs parses rule documentation and panics on a malformed file. Rule
// packages call it on their embedded doc.md at init.
func MustDocs(md string) map[string]Doc {
	docs, err := ParseDocs(md)
	if err != nil {
		panic(err)
	}
	return docs
}
