// Filters the report's findings by severity, rule, outcome and baseline
// state. Without scripts every finding stays visible.
(() => {
  const form = document.getElementById('filters');
  if (!form) return;
  form.hidden = false;
  const apply = () => {
    const severities = new Set(Array.from(form.querySelectorAll('input[name=severity]:checked'), (i) => i.value));
    const rule = form.elements.rule.value;
    const outcome = form.elements.outcome.value;
    const known = form.elements.known ? form.elements.known.checked : true;
    for (const item of document.querySelectorAll('li[data-rule]')) {
      item.hidden = !(severities.has(item.dataset.severity) &&
        (rule === '' || item.dataset.rule === rule) &&
        (outcome === '' || item.dataset.outcome === outcome) &&
        (known || item.dataset.baseline !== 'known'));
    }
    for (const block of document.querySelectorAll('.rule, .filterable')) {
      block.hidden = !block.querySelector('li[data-rule]:not([hidden])');
    }
  };
  form.addEventListener('change', apply);
  apply();
})();
