// Package history reads a site's audits across runs: the runs themselves
// (when, how many pages, violations by severity, in the story against the
// template), the findings that are new, fixed or persisting between two
// runs, and the rules and sections of the site that fare worst over time.
//
// Load reads the runs from the results store (package store) as
// RunRecords; Build makes the history of them, which a Writer writes: text
// for a terminal, JSON as the machine contract, HTML for people. Build and
// the writers are pure functions: the same runs give the same bytes.
package history

import (
	"time"

	"github.com/newsa11y/newsa11y/audit"
)

// SchemaVersion is the version of the JSON history contract.
const SchemaVersion = 1

// A RunRecord is one stored run as history reads it: every page it
// audited, of every site.
type RunRecord struct {
	// ID is the run's id in the store.
	ID string
	// Started is when the run began.
	Started time.Time
	// Status is the run's status in the store: done, running (or killed),
	// interrupted or incomplete (see store.Run.Status); empty means done.
	Status string
	// Pages are the run's pages, in any order.
	Pages []PageRecord
}

// A PageRecord is one page of a stored run.
type PageRecord struct {
	// URL is the page as the run was given it.
	URL string
	// Page is the page's canonical identity, as baselines key pages by
	// (see audit.BaselineEntry.Page): the URL of a page on the web, the
	// path of a local file within the folder it was served from. Empty
	// when the store does not know it; the URL then stands for it.
	Page string
	// Site is the site the page belongs to (see audit.SiteKey).
	Site string
	// Failed is true when the page could not be audited: it counts as
	// neither clean nor fixed.
	Failed bool
	// Findings are the page's findings.
	Findings []FindingRecord
}

// A FindingRecord is one stored finding.
type FindingRecord struct {
	// Fingerprint identifies the finding across runs (see
	// audit.Fingerprint).
	Fingerprint string
	// Rule is the rule id.
	Rule string
	// Outcome is violation or review.
	Outcome audit.Outcome
	// Severity is the finding's severity, adjusted by context.
	Severity audit.Severity
	// Region is "story", "template" or "page" (see audit.Finding.Region);
	// empty when unknown.
	Region string
	// Key is the element key (see audit.ElementKey); empty when unknown.
	Key string
	// Selector is where the finding was.
	Selector string
	// Message is what was observed.
	Message string
	// Also are the fingerprints of the findings merged into this one
	// (see audit.Finding.Also): the defect is the same, and a diff
	// matches a finding by any of them, as --baseline does.
	Also []string
}

// Options choose what Build reports.
type Options struct {
	// Site keeps only this site's pages; empty keeps every site.
	Site string
	// Since keeps only the runs started at or after it; zero keeps all.
	Since time.Time
	// From and To name the two runs to compare; empty To means the
	// site's last finished run, empty From the first finished run since
	// Since when it is set, else the finished run before To.
	From, To string
	// Rules gives the rules' titles, by id; rules it lacks are shown by
	// id.
	Rules map[string]audit.RuleInfo
	// Tool names the program that writes the history.
	Tool audit.Tool
}

// A Report is the history of one or more sites.
type Report struct {
	// SchemaVersion is the version of the JSON contract, SchemaVersion.
	SchemaVersion int `json:"schema_version"`
	// Tool names the program that wrote the history.
	Tool audit.Tool `json:"tool"`
	// Since is the start of the window, when --since gave one.
	Since *time.Time `json:"since,omitempty"`
	// Sites holds each site's history, sorted by site.
	Sites []Site `json:"sites"`
	// Rules gives the title of every rule the history names, sorted by
	// id.
	Rules []RuleTitle `json:"rules"`
}

// A RuleTitle is a rule's id and the requirement it states.
type RuleTitle struct {
	// ID is the rule id.
	ID string `json:"id"`
	// Title states the requirement; empty for a rule this build does not
	// know.
	Title string `json:"title,omitempty"`
}

// A Site is one site's history.
type Site struct {
	// Site names the site (see audit.SiteKey).
	Site string `json:"site"`
	// Runs are the runs that audited the site, oldest first, counting
	// only the site's pages.
	Runs []RunSummary `json:"runs"`
	// Diff compares two of the runs; nil when the site has only one.
	Diff *Diff `json:"diff,omitempty"`
	// Rules are the rules with violations on the site, worst first, with
	// their counts run by run.
	Rules []RuleTrend `json:"rules"`
	// Sections are the site's sections (the first segment of the page
	// path, "/world/") with violations, worst first, run by run.
	Sections []SectionTrend `json:"sections"`
	// Notes say what the history could not show, such as a run asked
	// for that did not audit the site.
	Notes []string `json:"notes,omitempty"`
}

// A RunSummary counts one run's findings on one site.
type RunSummary struct {
	// ID is the run's id.
	ID string `json:"id"`
	// Started is when the run began, in UTC.
	Started time.Time `json:"started"`
	// Status is done, running (a run still writing, or one that was
	// killed), interrupted or incomplete (a sharded run some of whose
	// shards never started). Only done runs are compared by default.
	Status string `json:"status"`
	// Pages counts the site's pages the run was given.
	Pages int `json:"pages"`
	// Failed counts those that could not be audited.
	Failed int `json:"failed"`
	// Violations counts the violations.
	Violations int `json:"violations"`
	// Reviews counts the findings that need review.
	Reviews int `json:"reviews"`
	// BySeverity counts the violations by severity.
	BySeverity Severities `json:"by_severity"`
	// ByRegion counts the violations by where they are on the page.
	ByRegion Regions `json:"by_region"`
	// TemplateProblems counts the distinct violations in the site's
	// template: one that repeats on every page counts once here, and once
	// a page in ByRegion.Template.
	TemplateProblems int `json:"template_problems"`
}

// Severities counts violations by severity.
type Severities struct {
	// Critical counts critical violations.
	Critical int `json:"critical"`
	// Serious counts serious violations.
	Serious int `json:"serious"`
	// Moderate counts moderate violations.
	Moderate int `json:"moderate"`
	// Minor counts minor violations.
	Minor int `json:"minor"`
}

// add counts one violation of severity s.
func (c *Severities) add(s audit.Severity) {
	switch s {
	case audit.Critical:
		c.Critical++
	case audit.Serious:
		c.Serious++
	case audit.Moderate:
		c.Moderate++
	default:
		c.Minor++
	}
}

// Regions counts violations by the region of the page they are in.
type Regions struct {
	// Story counts violations in the article itself.
	Story int `json:"story"`
	// Template counts violations in the masthead, navigation, rails and
	// footer that repeat on every page.
	Template int `json:"template"`
	// Page counts violations about the page as a whole, and those whose
	// region is unknown.
	Page int `json:"page"`
}

// add counts one violation in region r.
func (c *Regions) add(r string) {
	switch r {
	case "story":
		c.Story++
	case "template":
		c.Template++
	default:
		c.Page++
	}
}

// A Diff compares two runs of a site by finding fingerprint, page by page.
type Diff struct {
	// From is the earlier run's id.
	From string `json:"from"`
	// FromStarted is when it began.
	FromStarted time.Time `json:"from_started"`
	// To is the later run's id.
	To string `json:"to"`
	// ToStarted is when it began.
	ToStarted time.Time `json:"to_started"`
	// New are the findings of To that From did not have: on a page From
	// also audited, or on a page it did not.
	New []Change `json:"new"`
	// Fixed are the findings of From no longer found by To on a page To
	// audited.
	Fixed []Change `json:"fixed"`
	// Persisting are the findings both runs have.
	Persisting []Change `json:"persisting"`
	// Unchecked counts the findings of From on pages To did not audit
	// (pages it was not given, or could not load): neither fixed nor
	// persisting.
	Unchecked int `json:"unchecked"`
	// UncheckedPages counts those pages.
	UncheckedPages int `json:"unchecked_pages"`
}

// A Change is one finding of a Diff.
type Change struct {
	// Page is the page's canonical identity.
	Page string `json:"page"`
	// Section is the page's section (see SectionOf).
	Section string `json:"section"`
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Outcome is violation or review.
	Outcome audit.Outcome `json:"outcome"`
	// Severity is the finding's severity.
	Severity audit.Severity `json:"severity"`
	// Region is story, template or page; empty when unknown.
	Region string `json:"region,omitempty"`
	// Selector is where the finding is (for a fixed one, where it was).
	Selector string `json:"selector"`
	// Message is what was observed.
	Message string `json:"message"`
	// Fingerprint is the finding's fingerprint.
	Fingerprint string `json:"fingerprint"`
}

// A RuleTrend is one rule's violations on a site, run by run.
type RuleTrend struct {
	// Rule is the rule id.
	Rule string `json:"rule"`
	// Violations counts the rule's violations in each run, in the order
	// of Site.Runs.
	Violations []int `json:"violations"`
	// Pages counts the pages with at least one, run by run.
	Pages []int `json:"pages"`
	// Total is the sum of Violations.
	Total int `json:"total"`
}

// A SectionTrend is one section's violations, run by run: "which desks
// keep publishing photos without alt text".
type SectionTrend struct {
	// Section is the first segment of the page path, "/world/", or "/"
	// for pages at the top of the site.
	Section string `json:"section"`
	// Audited counts the section's pages each run audited, in the order
	// of Site.Runs.
	Audited []int `json:"audited"`
	// Violations counts its violations, run by run.
	Violations []int `json:"violations"`
	// Total is the sum of Violations.
	Total int `json:"total"`
	// Rules break the violations down by rule, worst first.
	Rules []RuleTrend `json:"rules"`
}
