// Filters the report's findings by severity, rule, outcome and baseline
// state, and keeps every count in step: the totals at the top, each
// page's count line and its entry in the page list. A page left with
// nothing collapses to its heading. Each finding item weighs the number
// of findings it stands for (identical ones are shown once); site-template
// findings are counted through their pages. Without scripts every finding
// stays visible and the counts are the unfiltered ones.
(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  form.hidden = false;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const apply = () => {
    const severities = new Set(Array.from(form.querySelectorAll('input[name=severity]:checked'), (i) => i.value));
    const rule = form.elements.rule.value;
    const outcome = form.elements.outcome.value;
    const known = form.elements.known ? form.elements.known.checked : true;
    const matches = (item) => severities.has(item.dataset.severity) &&
      (rule === '' || item.dataset.rule === rule) &&
      (outcome === '' || item.dataset.outcome === outcome) &&
      (known || item.dataset.baseline !== 'known');
    for (const item of document.querySelectorAll('li[data-rule]:not([data-ref])')) {
      item.hidden = !matches(item);
    }
    for (const block of document.querySelectorAll('.rule, .filterable, details.known')) {
      block.hidden = !block.querySelector('li[data-rule]:not([hidden]):not([data-ref])');
    }
    const totals = {violation: 0, review: 0};
    for (const page of document.querySelectorAll('section.page[data-findings]')) {
      const counts = {violation: 0, review: 0};
      for (const item of page.querySelectorAll('li[data-rule]')) {
        if (matches(item)) counts[item.dataset.outcome] += Number(item.dataset.weight || 1);
      }
      totals.violation += counts.violation;
      totals.review += counts.review;
      if (page.querySelector('.failed')) continue;
      const text = `${plural(counts.violation, 'problem', 'problems')}, ${counts.review} to check`;
      page.querySelector('.count-text').textContent = text;
      const entry = document.querySelector(`li[data-page="${page.id}"] .toc-count`);
      if (entry) entry.textContent = text;
      const emptied = Number(page.dataset.findings) > 0 && counts.violation + counts.review === 0;
      page.querySelector('.page-body').hidden = emptied;
      page.querySelector('.filtered-out').hidden = !emptied;
    }
    for (const [kind, n] of Object.entries(totals)) {
      const el = document.querySelector(`[data-count="${kind}"]`);
      if (el) el.textContent = n;
    }
  };
  form.addEventListener('change', apply);
  apply();
})();
