package history

import (
	"context"
	"fmt"

	"github.com/newsa11y/newsa11y/store"
)

// Load reads from a results store the runs that opts select, as Build
// reads them: the runs of opts.Site (every run without one) started at
// or after opts.Since, and the runs opts.From and opts.To name whenever
// they started, each with all its pages (Build keeps the site's, and
// files a failed page under the site other runs found it on). A run id
// From or To names that the store lacks is an *UnknownRunError.
func Load(ctx context.Context, s *store.Store, opts Options) ([]RunRecord, error) {
	runs, err := s.Runs(ctx, store.RunFilter{Site: opts.Site})
	if err != nil {
		return nil, err
	}
	for _, id := range []string{opts.From, opts.To} {
		if id == "" {
			continue
		}
		found := false
		for _, r := range runs {
			found = found || r.ID == id
		}
		if !found {
			if _, err := s.Run(ctx, id); err != nil {
				return nil, &UnknownRunError{ID: id}
			}
			return nil, fmt.Errorf("store %s: run %q has no page of site %q", s, id, opts.Site)
		}
	}
	var out []RunRecord
	for _, r := range runs {
		if !opts.Since.IsZero() && r.Started.Before(opts.Since) && r.ID != opts.From && r.ID != opts.To {
			continue
		}
		pages, err := s.Pages(ctx, r.ID, store.PageFilter{})
		if err != nil {
			return nil, err
		}
		rec := RunRecord{ID: r.ID, Started: r.Started, Status: r.Status}
		for _, p := range pages {
			pr := PageRecord{URL: p.Result.URL, Page: p.Page, Site: p.Result.Site, Failed: p.Result.Failed()}
			for _, f := range p.Result.Findings {
				fr := FindingRecord{
					Fingerprint: f.Fingerprint, Rule: f.Rule, Outcome: f.Outcome, Severity: f.Severity,
					Region: f.Region, Key: f.Key, Selector: f.Selector, Message: f.Message,
				}
				for _, a := range f.Also {
					fr.Also = append(fr.Also, a.Fingerprint)
				}
				pr.Findings = append(pr.Findings, fr)
			}
			rec.Pages = append(rec.Pages, pr)
		}
		out = append(out, rec)
	}
	return out, nil
}
