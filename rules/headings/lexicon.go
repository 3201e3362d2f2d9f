package headings

import (
	"embed"
	"fmt"
	"path"
	"strings"

	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// The word lists the rules match heading texts against live in lexicon/,
// one file per kind; lexicon/README.md describes the format.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// A lexicon is one word list: phrases that match a whole text, its start,
// its end, its start before a colon, or single words.
type lexicon struct {
	whole, prefix, suffix, colon []string
	words                        map[string]bool
	// rawPrefix holds prefixes made only of symbols ("©"), matched on the
	// text as written since normalisation drops symbols.
	rawPrefix []string
}

var (
	bylineWords  = mustLexicon("bylines.txt")
	creditWords  = mustLexicon("credits.txt")
	adWords      = mustLexicon("ads.txt")
	dateWords    = mustLexicon("dates.txt")
	kickerWords  = mustLexicon("kickers.txt")
	genericWords = mustLexicon("generic.txt")
	railWords    = mustLexicon("rails.txt")
)

func mustLexicon(name string) *lexicon {
	lx, err := parseLexicon(name)
	if err != nil {
		panic(err)
	}
	return lx
}

// parseLexicon reads lexicon/NAME: lines of "LANG MODE PHRASE".
func parseLexicon(name string) (*lexicon, error) {
	data, err := lexiconFS.ReadFile(path.Join("lexicon", name))
	if err != nil {
		return nil, fmt.Errorf("read lexicon %s: %w", name, err)
	}
	lx := &lexicon{words: map[string]bool{}}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 {
			return nil, fmt.Errorf("lexicon %s line %d: want LANG MODE PHRASE, got %q", name, i+1, line)
		}
		raw := strings.Join(f[2:], " ")
		phrase := textmatch.FoldAccents(raw)
		if phrase == "" && f[1] != "^" {
			return nil, fmt.Errorf("lexicon %s line %d: phrase %q is empty once normalised", name, i+1, raw)
		}
		switch f[1] {
		case "=":
			lx.whole = append(lx.whole, phrase)
		case "^":
			if phrase == "" {
				lx.rawPrefix = append(lx.rawPrefix, raw)
			} else {
				lx.prefix = append(lx.prefix, phrase)
			}
		case "$":
			lx.suffix = append(lx.suffix, phrase)
		case ":":
			lx.colon = append(lx.colon, phrase)
		case "w":
			if strings.Contains(phrase, " ") {
				return nil, fmt.Errorf("lexicon %s line %d: %q is not a single word", name, i+1, raw)
			}
			lx.words[phrase] = true
		default:
			return nil, fmt.Errorf("lexicon %s line %d: unknown mode %q (want = ^ $ : w)", name, i+1, f[1])
		}
	}
	return lx, nil
}

// match returns the phrase of the lexicon that text matches, or "". norm is
// textmatch.FoldAccents(text).
func (lx *lexicon) match(text, norm string) string {
	for _, ph := range lx.whole {
		if norm == ph {
			return ph
		}
	}
	for _, ph := range lx.prefix {
		if norm == ph || strings.HasPrefix(norm, ph+" ") {
			return ph
		}
	}
	for _, ph := range lx.suffix {
		if norm == ph || strings.HasSuffix(norm, " "+ph) {
			return ph
		}
	}
	if head, _, ok := strings.Cut(text, ":"); ok {
		h := textmatch.FoldAccents(head)
		for _, ph := range lx.colon {
			if h == ph {
				return ph
			}
		}
	}
	trimmed := strings.TrimSpace(text)
	for _, ph := range lx.rawPrefix {
		if strings.HasPrefix(trimmed, ph) {
			return ph
		}
	}
	return ""
}

// matchWhole returns the phrase text equals as a whole, or "".
func (lx *lexicon) matchWhole(norm string) string {
	for _, ph := range lx.whole {
		if norm == ph {
			return ph
		}
	}
	return ""
}

// prefixLen returns the number of words of the longest prefix phrase that
// opens norm, 0 when none does.
func (lx *lexicon) prefixLen(norm string) int {
	best := 0
	for _, ph := range lx.prefix {
		if norm == ph || strings.HasPrefix(norm, ph+" ") {
			best = max(best, len(strings.Fields(ph)))
		}
	}
	return best
}
