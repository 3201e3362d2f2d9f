// Scrolls down the page to each element that may still be waiting to load
// (a lazy image, iframe or background) and lies below the first screen,
// waiting two frames at each stop so intersection observers and scroll
// handlers see it; then returns to the top. Resolves to the number of
// stops.
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
  // Each element still waiting is watched by an IntersectionObserver; the
  // scroll jumps straight to the next one the viewport has not yet met, a
  // viewport or more at a time, and stops once none is left. A page with
  // nothing waiting below the first screen is not scrolled at all.
  const pending = new Set();
  const candidates = document.querySelectorAll('img, iframe, [data-src], [data-srcset], [data-bg], [data-background], [data-lazy], [data-original], [data-lazy-src]');
  for (const el of candidates) {
    if (!waiting(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue; // not rendered: scrolling will not load it
    if (r.top < window.innerHeight && r.bottom > 0) continue; // on the first screen already
    pending.add(el);
  }
  if (pending.size === 0) return 0;
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) {
        pending.delete(e.target);
        observer.unobserve(e.target);
      }
    }
  });
  for (const el of pending) observer.observe(el);
  const root = document.scrollingElement || document.documentElement;
  const height = () => Math.max(root ? root.scrollHeight : 0, document.body ? document.body.scrollHeight : 0);
  const step = Math.max(window.innerHeight - 60, 200);
  let steps = 0;
  let y = 0;
  while (steps < maxSteps && pending.size > 0) {
    // The nearest element not yet met below the viewport, where it stands
    // now (a page that grows moves it).
    let next = Infinity;
    for (const el of pending) {
      if (!el.isConnected) { pending.delete(el); continue; }
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) { pending.delete(el); continue; }
      next = Math.min(next, r.top + window.scrollY);
    }
    if (next === Infinity) break;
    // At least a step down, so every stretch with a waiting element is
    // shown and the scroll always moves on.
    const target = Math.min(Math.max(y + step, next - 60), height() - window.innerHeight);
    if (target <= y) break; // the bottom of the page: nothing further to show
    y = target;
    window.scrollTo({ top: y, left: 0, behavior: 'instant' });
    steps++;
    await frame();
  }
  observer.disconnect();
  window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
  await frame();
  return steps;
}
