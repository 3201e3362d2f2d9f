// Resolves once the page's layout has not shifted for quietMs (by the
// layout-shift entries a PerformanceObserver reports, those before it was
// made included), or once maxMs have passed. Resolves to the milliseconds
// it waited.
(quietMs, maxMs) => new Promise((resolve) => {
  const start = performance.now();
  let last = -Infinity;
  let observer;
  const note = (entries) => {
    for (const e of entries) last = Math.max(last, e.startTime);
  };
  try {
    observer = new PerformanceObserver((list) => note(list.getEntries()));
    observer.observe({ type: 'layout-shift', buffered: true });
  } catch (e) {
    resolve(0); // no layout-shift entries in this browser: nothing to wait for
    return;
  }
  const check = () => {
    note(observer.takeRecords());
    const now = performance.now();
    if (now - last >= quietMs || now - start >= maxMs) {
      observer.disconnect();
      resolve(Math.round(now - start));
      return;
    }
    setTimeout(check, Math.max(quietMs - (now - last), 16));
  };
  setTimeout(check, 0);
})
