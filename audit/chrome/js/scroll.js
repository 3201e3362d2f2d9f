// Scrolls the page down one viewport at a time, waiting a frame at each
// step, so lazy images and late scripts run; then returns to the top.
// Resolves to the number of steps taken.
async (maxSteps) => {
  const frame = () => new Promise((resolve) => {
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(); } };
    requestAnimationFrame(() => requestAnimationFrame(finish));
    setTimeout(finish, 60);
  });
  const root = document.scrollingElement || document.documentElement;
  const height = () => Math.max(root ? root.scrollHeight : 0, document.body ? document.body.scrollHeight : 0);
  const step = Math.max(window.innerHeight - 60, 200);
  let steps = 0;
  for (let y = step; steps < maxSteps && y < height(); y += step) {
    window.scrollTo({ top: y, left: 0, behavior: 'instant' });
    steps++;
    await frame();
  }
  window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
  await frame();
  return steps;
}
