// Package transcript writes down the start of a page as a screen reader's
// browse mode speaks it: from the top through the headline, the lead photo
// and the first paragraphs of the story, one line per thing announced
// ("link, Skip to main content", "heading level 1, …", "image, …", then
// plain text). It is not a rule family: it adds evidence to page results
// for reports, so that an editor hears what a blind reader hears, with
// repeated speech marked and linked to its finding.
//
// Everything it says comes from the browser's accessibility tree the
// capture holds (each node's role, name, level and whether it is ignored),
// walked in flat-tree order; nothing the browser decides is worked out
// again by hand. The computed display of each element only says where one
// line of text ends and the next begins. Pages captured without the tree
// (the static loader) get no transcript, and say so.
package transcript

import (
	"fmt"
	"strings"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/rules/internal/headline"
	"github.com/newsa11y/newsa11y/rules/internal/textmatch"
)

// The transcript's bounds.
const (
	// MaxLines caps the lines of a transcript.
	MaxLines = 150
	// Paragraphs is how many paragraphs after the headline the transcript
	// reads before it stops.
	Paragraphs = 3
	// ParagraphWords is the fewest words a paragraph must have to count
	// towards Paragraphs: bylines and datelines do not.
	ParagraphWords = 10
	// MaxListItems is how many items of a long list the transcript reads;
	// the others are counted on one line. A list of up to two more items
	// is read whole.
	MaxListItems = 8
	// MaxLandmarkLines is how many lines the transcript reads of a
	// banner, navigation, complementary or content-information landmark
	// (and the landmarks inside it); what is left is counted on one line,
	// so that a site's menus do not hide its story.
	MaxLandmarkLines = 25
	// RepeatWindow is how many lines back a repeat is looked for.
	RepeatWindow = 8
	// minRepeatLetters is the shortest normalised text that counts as a
	// repeat: "Search" said by a label and then by its field does not.
	minRepeatLetters = 12
)

// Unavailable is the reason a page captured without the accessibility
// tree has no transcript.
const Unavailable = "not available without the browser: the static loader reads no accessibility tree"

// A Line is one line of a transcript, with the element it comes from.
type Line struct {
	audit.TranscriptLine
	// Node is the element the line comes from: the announced element, or
	// the block a run of text sits in.
	Node audit.NodeID
	// norm is the normalised text that repeats are found by.
	norm string
	// whole is true for a line that speaks its element's whole contents
	// (a link, a heading, an image), so a finding inside it belongs to it.
	whole bool
	// entry is true for the line announcing a container as the reader
	// enters it ("navigation, Main navigation"): a landmark named by its
	// own heading is announced with that heading's words, which is no
	// repeat.
	entry bool
	// unmarked is true for a line that is never marked as a repeat nor
	// repeated: a form control and its label, which say the same by
	// design.
	unmarked bool
}

// Summarize puts the page's transcript on its result, its lines linked
// to the result's findings. It is an audit.Summarizer; it runs after the
// findings' regions are marked.
func Summarize(p *audit.Page, r *audit.PageResult) {
	if !p.Captured.Has(audit.CapAX) {
		r.Transcript = &audit.Transcript{Unavailable: Unavailable}
		return
	}
	lines, end := Build(p)
	LinkFindings(p, lines, r.Findings)
	t := &audit.Transcript{Lines: make([]audit.TranscriptLine, len(lines)), End: end, MaxLines: MaxLines}
	for i := range lines {
		t.Lines[i] = lines[i].TranscriptLine
	}
	r.Transcript = t
}

// Build reads the page as a screen reader's browse mode does and returns
// the lines, repeats marked but no findings linked, and a sentence saying
// where and why it stopped.
func Build(p *audit.Page) ([]Line, string) {
	b := &builder{p: p, head: audit.NoNode, block: audit.NoNode, site: audit.NoNode}
	if m, ok := headline.Find(p); ok {
		b.head = m.Node
		if m.Heading != audit.NoNode {
			b.head = m.Heading
		}
	}
	if len(p.Nodes) > 0 {
		b.walk(0)
	}
	b.flush()
	switch {
	case len(b.lines) == 0:
		return nil, "The browser exposes nothing on this page for a screen reader to read."
	case b.capped:
		return b.lines, fmt.Sprintf("Stopped at %d lines, the most a transcript shows.", MaxLines)
	case b.done:
		return b.lines, fmt.Sprintf("Stopped after the first %d paragraphs after the headline.", Paragraphs)
	}
	return b.lines, "The page ends here."
}

// builder holds the state of one reading.
type builder struct {
	p     *audit.Page
	lines []Line
	// head is the headline's element, NoNode when the page has none.
	head audit.NodeID
	// afterHead is true once the headline was read, or a level-one
	// heading when the page names no headline.
	afterHead bool
	// paragraphs counts the paragraphs read after the headline.
	paragraphs int
	// done and capped end the reading: after the paragraphs, or at the
	// cap.
	done, capped bool
	// text collects the run of text being read, not yet a line.
	text strings.Builder
	// textNode is the block the run of text started in.
	textNode audit.NodeID
	// block is the innermost block-level element being read.
	block audit.NodeID
	// inParagraph counts the paragraphs being read, nested.
	inParagraph int
	// inLabel counts the labels being read, nested; textLabel is true
	// when the run of text started inside one.
	inLabel   int
	textLabel bool
	// site is the outermost landmark of the site's furniture being read
	// (see MaxLandmarkLines), NoNode outside one; siteStart is the number
	// of lines before it, and cut is true once its lines ran out.
	site      audit.NodeID
	siteStart int
	cut       bool
	// last is the last node read.
	last audit.NodeID
}

// walk reads the node and what it contains.
func (b *builder) walk(id audit.NodeID) {
	if b.stopped() {
		return
	}
	b.last = id
	n := &b.p.Nodes[id]
	switch n.Kind {
	case audit.CommentNode:
		return
	case audit.TextNode:
		b.readText(n)
		return
	case audit.DocumentNode:
		b.children(id)
		return
	}
	if n.Tag == "head" || n.Tag == "script" || n.Tag == "style" || n.Tag == "template" {
		return
	}
	ax := n.AX
	if ax == nil || ax.Ignored {
		// The browser exposes no entry for the element itself (a
		// generic container, or one it hides); what it holds may still
		// be exposed, and each descendant's own entry says so.
		b.container(id, false)
		return
	}
	switch role := ax.Role; {
	case role == "StaticText":
		b.addText(id, ax.Name)
	case role == "LineBreak":
		b.flush()
	case role == "heading":
		words := "heading"
		if ax.Level > 0 {
			words = fmt.Sprintf("heading level %d", ax.Level)
		}
		if b.hasLink(id) {
			words += ", link"
		}
		b.say(id, words, ax.Name)
		if b.head == audit.NoNode && ax.Level == 1 {
			b.afterHead = true
		}
	case spokenAlone[role] != "":
		b.say(id, spokenAlone[role], ax.Name)
	case role == "LabelText":
		b.inLabel++
		b.container(id, false)
		b.inLabel--
	case role == "list":
		b.list(id, ax.Name)
	case announced[role] != "" && (!needsName[role] || ax.Name != ""):
		b.enter(id, announced[role], ax.Name)
		if !siteFurniture[role] || b.site != audit.NoNode {
			b.container(id, false)
			break
		}
		b.site, b.siteStart = id, len(b.lines)
		b.container(id, false)
		b.site = audit.NoNode
		if b.cut {
			b.cut = false
			b.text.Reset() // the run of text the cut broke off
			if left := b.itemsAfter(id, b.last); left > 0 {
				what := "links and other items in this "
				if left == 1 {
					what = "link or other item in this "
				}
				b.add(Line{TranscriptLine: audit.TranscriptLine{Omitted: left, Text: what + announced[role]}, Node: id})
			}
		}
	default:
		b.container(id, role == "paragraph")
	}
}

// spokenAlone maps the roles a screen reader speaks as one item, name and
// all, to their spoken words: the element's contents are its name and are
// not read again.
var spokenAlone = map[string]string{
	"link": "link", "image": "image", "img": "image", "button": "button",
	"textbox": "text box", "searchbox": "search box", "combobox": "combo box",
	"checkbox": "check box", "radio": "radio button", "switch": "switch",
	"slider": "slider", "spinbutton": "spin button", "menuitem": "menu item",
	"menuitemcheckbox": "menu item", "menuitemradio": "menu item",
	"tab": "tab", "option": "option", "progressbar": "progress bar",
	"meter": "meter", "math": "math", "video": "video", "audio": "audio",
	"PopUpButton": "menu button", "listbox": "list box", "DisclosureTriangle": "button",
}

// controls are the roles of form controls, whose names repeat their
// labels and each other ("Search", "search box, Search", "button,
// Search") by design: they are not marked as repeats.
var controls = map[string]bool{
	"button": true, "textbox": true, "searchbox": true, "combobox": true,
	"checkbox": true, "radio": true, "switch": true, "slider": true,
	"spinbutton": true, "PopUpButton": true, "listbox": true, "option": true,
	"DisclosureTriangle": true,
}

// announced maps the container roles a screen reader announces when the
// reader enters them (landmarks, articles, figures, frames) to their
// spoken words; what they hold is read after.
var announced = map[string]string{
	"banner": "banner", "navigation": "navigation", "main": "main",
	"contentinfo": "content information", "complementary": "complementary",
	"region": "region", "search": "search", "form": "form",
	"article": "article", "figure": "figure", "dialog": "dialog",
	"alertdialog": "alert dialog", "blockquote": "block quote", "table": "table",
	"Iframe": "frame", "IframePresentational": "frame",
}

// siteFurniture lists the landmarks whose lines MaxLandmarkLines caps.
var siteFurniture = map[string]bool{"banner": true, "navigation": true, "complementary": true, "contentinfo": true}

// needsName lists the announced roles that are landmarks only when named.
var needsName = map[string]bool{"region": true, "form": true}

// container reads what an element holds, breaking the run of text at its
// edges when it is laid out as a block.
func (b *builder) container(id audit.NodeID, paragraph bool) {
	block := isBlock(&b.p.Nodes[id])
	outer := b.block
	if block {
		b.flush()
		b.block = id
	}
	first := len(b.lines)
	if paragraph {
		b.inParagraph++
	}
	b.children(id)
	if block {
		b.flush()
		b.block = outer
	}
	if paragraph {
		b.inParagraph--
		b.paragraphRead(first)
	}
}

// paragraphRead counts a paragraph read after the headline whose lines,
// from first on, hold at least ParagraphWords words (a byline does not),
// and ends the reading at the last of Paragraphs. A paragraph inside
// another counts as part of it.
func (b *builder) paragraphRead(first int) {
	if !b.afterHead || b.inParagraph > 0 || b.capped {
		return
	}
	words := 0
	for _, l := range b.lines[first:] {
		words += len(strings.Fields(l.Text))
	}
	if words < ParagraphWords {
		return
	}
	b.paragraphs++
	if b.paragraphs >= Paragraphs {
		b.done = true
	}
}

func (b *builder) children(id audit.NodeID) {
	for _, c := range b.p.Nodes[id].Children {
		if b.stopped() {
			return
		}
		b.walk(c)
	}
}

// isBlock reports whether the browser laid the element out as a block,
// which starts a new line of text. Elements without a box (display:
// contents) and inline ones do not.
func isBlock(n *audit.Node) bool {
	if n.Layout == nil || n.Layout.Style == nil {
		return false
	}
	d := n.Layout.Style.Display
	return d != "" && d != "contents" && !strings.HasPrefix(d, "inline") && d != "ruby"
}

// readText reads a text node through its accessibility entry. White space
// the browser rendered but made no entry for still separates words.
func (b *builder) readText(n *audit.Node) {
	switch {
	case n.AX != nil && !n.AX.Ignored && n.AX.Role == "StaticText":
		b.addTextOf(n.Parent, n.AX.Name)
	case n.AX == nil && n.Layout != nil && audit.IsBlank(n.Data) && b.text.Len() > 0:
		b.text.WriteByte(' ')
	}
}

// addText adds text the browser exposes on an element.
func (b *builder) addText(id audit.NodeID, s string) { b.addTextOf(id, s) }

func (b *builder) addTextOf(id audit.NodeID, s string) {
	if audit.IsBlank(s) {
		if b.text.Len() > 0 {
			b.text.WriteByte(' ')
		}
		return
	}
	if b.text.Len() == 0 || audit.IsBlank(b.text.String()) {
		b.text.Reset()
		b.textNode = b.block
		if b.textNode == audit.NoNode {
			b.textNode = id
		}
		b.textLabel = b.inLabel > 0
	}
	b.text.WriteString(s)
}

// flush makes the run of text read so far a line.
func (b *builder) flush() {
	if b.text.Len() == 0 {
		return
	}
	s := audit.CollapseSpace(b.text.String())
	b.text.Reset()
	if s == "" {
		return
	}
	b.add(Line{TranscriptLine: audit.TranscriptLine{Text: s}, Node: b.textNode, unmarked: b.textLabel})
}

// say adds a line for an element spoken as one item, contents and all.
func (b *builder) say(id audit.NodeID, role, name string) {
	b.flush()
	if b.stopped() {
		return
	}
	control := controls[b.p.Nodes[id].AX.Role]
	b.add(Line{TranscriptLine: audit.TranscriptLine{Role: role, Text: audit.CollapseSpace(name)}, Node: id, whole: true, unmarked: control})
}

// enter adds a line for a container the reader announces on entering it.
func (b *builder) enter(id audit.NodeID, role, name string) {
	b.flush()
	if b.stopped() {
		return
	}
	b.add(Line{TranscriptLine: audit.TranscriptLine{Role: role, Text: audit.CollapseSpace(name)}, Node: id, entry: true})
}

// add appends a line, marking it as a repeat of a nearby earlier line
// that says the same, and ends the reading at the cap.
func (b *builder) add(l Line) {
	if len(b.lines) >= MaxLines {
		b.capped = true
		return
	}
	if b.site != audit.NoNode && len(b.lines)-b.siteStart > MaxLandmarkLines {
		b.cut = true
		return
	}
	if l.Omitted == 0 && !l.entry && !l.unmarked {
		l.norm = textmatch.Normalize(l.Text)
		if repeatable(l.norm) {
			for i := len(b.lines) - 1; i >= 0 && i >= len(b.lines)-RepeatWindow; i-- {
				if says(b.lines[i].norm, l.norm) {
					l.Repeats = i + 1
					break
				}
			}
		}
	}
	l.Selector = audit.Selector(b.p, l.Node)
	b.lines = append(b.lines, l)
	if !b.afterHead && b.head != audit.NoNode && l.Omitted == 0 &&
		(b.p.Contains(b.head, l.Node) || l.Role == "" && b.p.Contains(l.Node, b.head)) {
		b.afterHead = true
	}
}

// repeatable reports whether a normalised text is long enough for saying
// it twice to be a repeat: two words and minRepeatLetters characters.
func repeatable(norm string) bool {
	return len(norm) >= minRepeatLetters && strings.Contains(norm, " ")
}

// says reports whether two normalised texts say the same thing: they are
// equal, or the shorter is the longer's words in order with little added
// (a credit after a caption), at least two thirds of its length.
func says(a, b string) bool {
	if !repeatable(a) || !repeatable(b) {
		return false
	}
	if a == b {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	return 3*len(short) >= 2*len(long) && strings.Contains(" "+long+" ", " "+short+" ")
}

// list reads a list: its size, then its first items.
func (b *builder) list(id audit.NodeID, name string) {
	items := b.exposedChildren(id)
	count := 0
	for _, it := range items {
		if ax := b.p.Nodes[it].AX; ax != nil && ax.Role == "listitem" {
			count++
		}
	}
	words := "list"
	switch count {
	case 0:
	case 1:
		words = "list, 1 item"
	default:
		words = fmt.Sprintf("list, %d items", count)
	}
	b.enter(id, words, name)
	block := isBlock(&b.p.Nodes[id])
	outer := b.block
	if block {
		b.block = id
	}
	read := 0
	for _, it := range items {
		if b.stopped() {
			break
		}
		if read == MaxListItems && len(items) > MaxListItems+2 {
			b.flush()
			b.add(Line{TranscriptLine: audit.TranscriptLine{Omitted: len(items) - read, Text: "items of this list"}, Node: it})
			break
		}
		b.walk(it)
		read++
	}
	b.flush()
	b.block = outer
}

// stopped reports whether the reading, or the reading of the current
// landmark, is over.
func (b *builder) stopped() bool { return b.done || b.capped || b.cut }

// itemsAfter counts the links, headings, images and controls the browser
// exposes in the element after the node last read, each once (not those
// inside a link or another such item).
func (b *builder) itemsAfter(id, last audit.NodeID) int {
	n := 0
	var inside audit.NodeID = audit.NoNode
	for d := range b.p.Descendants(id) {
		if d <= last || inside != audit.NoNode && b.p.Contains(inside, d) {
			continue
		}
		ax := b.p.Nodes[d].AX
		if ax == nil || ax.Ignored || spokenAlone[ax.Role] == "" && ax.Role != "heading" {
			continue
		}
		n++
		inside = d
	}
	return n
}

// exposedChildren returns the nearest descendants of id that the browser
// exposes (or that are text), looking through the elements it does not.
func (b *builder) exposedChildren(id audit.NodeID) []audit.NodeID {
	var out []audit.NodeID
	var visit func(audit.NodeID)
	visit = func(c audit.NodeID) {
		n := &b.p.Nodes[c]
		if n.Kind == audit.ElementNode && (n.AX == nil || n.AX.Ignored) {
			for _, g := range n.Children {
				visit(g)
			}
			return
		}
		if n.Kind == audit.ElementNode || n.AX != nil {
			out = append(out, c)
		}
	}
	for _, c := range b.p.Nodes[id].Children {
		visit(c)
	}
	return out
}

// hasLink reports whether the browser exposes a link inside the element.
func (b *builder) hasLink(id audit.NodeID) bool {
	for d := range b.p.Descendants(id) {
		if ax := b.p.Nodes[d].AX; ax != nil && !ax.Ignored && ax.Role == "link" {
			return true
		}
	}
	return false
}

// LinkFindings links each finding to the line of its element: the line
// the element says, else the first line inside the element, else the
// line that speaks the element with its container (a link that speaks
// its image). Findings
// about the page as a whole are not linked. A repeated line also carries
// the findings of the line it repeats.
func LinkFindings(p *audit.Page, lines []Line, findings []audit.Finding) {
	whole := map[audit.NodeID]bool{0: true, p.DocumentElement(): true, p.Body(): true}
	for _, f := range findings {
		if f.Region == "page" || whole[f.Node] || !p.Valid(f.Node) {
			continue
		}
		if i := lineOf(p, lines, f.Node); i >= 0 {
			lines[i].Findings = appendFinding(lines[i].Findings, f)
		}
	}
	for i := range lines {
		if r := lines[i].Repeats; r > 0 {
			for _, tf := range lines[r-1].Findings {
				lines[i].Findings = appendTranscriptFinding(lines[i].Findings, tf)
			}
		}
	}
}

// lineOf returns the index of the line a finding at the node belongs to,
// or -1.
func lineOf(p *audit.Page, lines []Line, node audit.NodeID) int {
	for i := range lines {
		if lines[i].Node == node && lines[i].Omitted == 0 {
			return i
		}
	}
	for i := range lines {
		if lines[i].Omitted == 0 && p.Contains(node, lines[i].Node) {
			return i
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].whole && p.Contains(lines[i].Node, node) {
			return i
		}
	}
	return -1
}

func appendFinding(to []audit.TranscriptFinding, f audit.Finding) []audit.TranscriptFinding {
	return appendTranscriptFinding(to, audit.TranscriptFinding{Rule: f.Rule, Outcome: f.Outcome, Fingerprint: f.Fingerprint})
}

func appendTranscriptFinding(to []audit.TranscriptFinding, tf audit.TranscriptFinding) []audit.TranscriptFinding {
	for _, have := range to {
		if have == tf {
			return to
		}
	}
	return append(to, tf)
}
