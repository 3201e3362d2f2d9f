// Package audit holds the types every part of newsa11y shares, runs the
// rules over pages, and post-processes what they found. It has four parts.
//
// The page snapshot: a [Page] is what a loader captured of one loaded page
// and all a rule may read: its nodes ([Node]) with their layout and
// computed styles, the browser's accessibility tree ([AXNode]), each
// image's load state ([ImageState]), the metadata facts ([Facts]), the
// keyboard walks ([KeyboardWalk]), and the [Capability] set saying which
// of these were captured. Helpers over a snapshot live here too: tree
// navigation, visibility, selectors and snippets, element keys and
// fingerprints.
//
// Rules and what they yield: a [Rule] with its [Doc], the [Pass] its check
// reports through, the [Finding] it reports with a [Severity] and an
// [Outcome], and the [Report] of a run, with one [PageResult] per page.
//
// The runner: a [Runner] loads each [Target] through a [Loader] (the
// browser and static loaders live in the chrome and static packages below
// this one), at each of its viewports, runs the rules over the snapshot,
// records a rule's error or panic as a [RuleError] while the page's other
// rules still run, and reports a page that failed to load as failed, never
// as clean.
//
// The post-processing chain: the steps [Processors] lists in their order,
// each a [Processor], which [Process] applies to a report after the rules
// ran and before it is written: dropping unfinished pages, adding a
// resumed run's pages, ordering pages, applying each [Ignore], listing
// each [TemplateFinding], comparing with a [Baseline].
//
// Rules read a snapshot and never touch the browser, so this package must
// never import chromedp or any other browser driver (only the chrome
// package does). Nor may it import any other package of this module
// (rules, reports, config, the loaders, the command): the dependencies
// point the other way, to audit. TestChromedpStaysInAuditChrome and
// TestAuditImportsNoModulePackage hold both.
package audit
