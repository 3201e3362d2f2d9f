package reports_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsa11y/newsa11y/audit"
	"github.com/newsa11y/newsa11y/audit/audittest"
)

// TestConsentInReports checks that each report says what was done with a
// page's consent dialog: a line in text, a paragraph with its stops in
// HTML, and consent_dialog in JSON, valid against the schema.
func TestConsentInReports(t *testing.T) {
	r := readReport(t)
	yes := true
	r.Pages[0].Consent = &audit.ConsentDialog{
		Platform: "OneTrust", Selector: "#onetrust-banner-sdk",
		Stops: []audit.ConsentStop{
			{Label: `button "Cookie settings"`, InDialog: true},
			{Label: `button "Accept all cookies"`, InDialog: true},
			{Label: `link "Skip to content"`},
		},
		Control: `button "Accept all cookies"`, ControlStop: 2, Key: audit.KeyEnter, Dismissable: &yes, Action: audit.ConsentAccepted,
	}
	line := `consent dialog (OneTrust, #onetrust-banner-sdk): 2 keyboard stops in it; closed with Enter on its button "Accept all cookies" (stop 2)`
	if text := string(render(t, "text", r)); !strings.Contains(text, "  "+line+"\n") {
		t.Errorf("the text report does not say %q:\n%s", line, text)
	}
	html := string(render(t, "html", r))
	for _, want := range []string{
		`<p class="walk-consent">The page opened with a consent dialog (OneTrust, #onetrust-banner-sdk)`,
		`Tab met in it: button &#34;Cookie settings&#34;, button &#34;Accept all cookies&#34;.</p>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	js := render(t, "json", r)
	if !strings.Contains(string(js), `"consent_dialog"`) {
		t.Error("the JSON report has no consent_dialog")
	}
	audittest.ValidateJSON(t, filepath.Join("..", "docs", "report.schema.json"), js)
}
