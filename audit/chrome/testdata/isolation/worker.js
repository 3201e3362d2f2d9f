// A worker that outlives its page unless the page is left: its timer
// writes to IndexedDB after the page was captured.
setTimeout(() => {
  const open = indexedDB.open('newsa11y-worker', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('s');
  open.onsuccess = () => open.result.close();
}, 4000);
