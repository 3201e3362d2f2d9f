// Scrolls down the page a viewport at a time, as far as the last element
// that may still be waiting to load (a lazy image, iframe or background),
// waiting two frames at each step so intersection observers and scroll
// handlers see it; then returns to the top. A page with nothing waiting
// below the first screen is not scrolled at all: every frame painted costs
// time. Resolves to the number of steps taken.
async (maxSteps) => {
  const frame = () => new Promise((resolve) => {
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(); } };
    requestAnimationFrame(() => requestAnimationFrame(finish));
    setTimeout(finish, 100);
  });
  const lazyAttr = /^data-(lazy|src|srcset|original|bg|background|ll-|echo|url|image)/i;
  const waiting = (el) => {
    if (el.localName === 'img') {
      // Still loading; a failed image (complete, no size) stays failed
      // unless a lazy-loader swaps its source, which its data- attribute
      // shows.
      if (!el.complete) return true;
    } else if (el.localName === 'iframe') {
      if (el.loading === 'lazy') return true;
    }
    for (const a of el.attributes) {
      if (lazyAttr.test(a.name)) return true;
    }
    return false;
  };
  let bottom = 0;
  const candidates = document.querySelectorAll('img, iframe, [data-src], [data-srcset], [data-bg], [data-background], [data-lazy], [data-original], [data-lazy-src]');
  for (const el of candidates) {
    if (!waiting(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue; // not rendered: scrolling will not load it
    bottom = Math.max(bottom, r.bottom + window.scrollY);
  }
  const root = document.scrollingElement || document.documentElement;
  const height = () => Math.max(root ? root.scrollHeight : 0, document.body ? document.body.scrollHeight : 0);
  const step = Math.max(window.innerHeight - 60, 200);
  let steps = 0;
  for (let y = step; steps < maxSteps && y - step < bottom - window.innerHeight && y < height(); y += step) {
    window.scrollTo({ top: y, left: 0, behavior: 'instant' });
    steps++;
    await frame();
  }
  if (steps > 0) {
    window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
    await frame();
  }
  return steps;
}
