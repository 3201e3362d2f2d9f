package reports

// wcagNames are the names of the WCAG 2.2 success criteria that rules
// refer to, for reports that describe them (the SARIF taxonomy).
var wcagNames = map[string]string{
	"1.1.1":  "Non-text Content",
	"1.3.1":  "Info and Relationships",
	"1.3.2":  "Meaningful Sequence",
	"1.4.1":  "Use of Color",
	"2.1.1":  "Keyboard",
	"2.4.1":  "Bypass Blocks",
	"2.4.2":  "Page Titled",
	"2.4.3":  "Focus Order",
	"2.4.4":  "Link Purpose (In Context)",
	"2.4.6":  "Headings and Labels",
	"2.4.7":  "Focus Visible",
	"2.4.9":  "Link Purpose (Link Only)",
	"2.4.10": "Section Headings",
	"2.4.11": "Focus Not Obscured (Minimum)",
	"2.4.12": "Focus Not Obscured (Enhanced)",
	"2.4.13": "Focus Appearance",
	"4.1.2":  "Name, Role, Value",
}
