// Lists every img element of the page, in open shadow roots and in
// same-origin iframes too, as a flat array of five entries per image: the
// element, its natural width and height, its complete flag and its
// currentSrc.
(() => {
  const out = [];
  const visit = (root) => {
    for (const img of root.querySelectorAll('img')) {
      out.push(img, img.naturalWidth, img.naturalHeight, img.complete, img.currentSrc || '');
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (doc) visit(doc);
      }
    }
  };
  visit(document);
  return out;
})()
