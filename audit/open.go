package audit

import "context"

// An OpenPage is a loaded page whose browser tab is still open, so that the
// runner can take pictures of flagged elements after the rules ran. Rules
// never see it.
type OpenPage interface {
	// Thumbnail returns a small JPEG picture of the element's rendered box
	// as a data: URI. A *LoadError means the page itself failed (its
	// renderer crashed), which fails the page.
	Thumbnail(ctx context.Context, id NodeID) (string, error)
	// Close releases the tab.
	Close()
}

// A PageKeeper is a Loader that can hand back the page still open.
type PageKeeper interface {
	Loader
	// LoadOpen captures the page like Load and keeps it open; the caller
	// must Close the OpenPage.
	LoadOpen(ctx context.Context, t Target, needs Capability) (*Page, OpenPage, error)
}

// A Summarizer adds page-level evidence to a page's result from its
// snapshot: the heading outline, the keyboard walk, what reports show
// beside the findings. Summarizers run after the rules.
type Summarizer func(p *Page, r *PageResult)

// MaxThumbnails bounds the pictures taken per page.
const MaxThumbnails = 24
