// The page-side half of the keyboard walk. The walk evaluates this object
// once and calls its methods on it (see evalIn in walk.go), so a method
// keeps nothing on the object: what must last between calls (the focus
// log, the guard, the elements paintAt hid) lives on the window, under
// names the page does not enumerate, and reset removes it.
// Methods that return elements return arrays whose element entries the
// caller receives as nodes (deep serialization), followed by one JSON
// string with the facts.
({
  // href returns the document's address.
  href() { return location.href; },

  // active returns the focused element, looking into open shadow roots
  // and same-origin iframes; null when focus is on the body or nowhere.
  active() {
    let el = document.activeElement;
    for (;;) {
      if (!el) return null;
      if (el.shadowRoot && el.shadowRoot.activeElement) {
        el = el.shadowRoot.activeElement;
        continue;
      }
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (doc && doc.activeElement && doc.activeElement !== doc.body && doc.activeElement !== doc.documentElement) {
          el = doc.activeElement;
          continue;
        }
      }
      break;
    }
    if (el === document.body || el === document.documentElement) return null;
    return el;
  },

  // parent returns the parent in the flat tree: the host for a shadow
  // root's child, the frame element for an iframe document's root.
  parent(el) {
    if (el.assignedSlot) return el.assignedSlot;
    if (el.parentElement) return el.parentElement;
    const root = el.parentNode;
    if (root && root.host) return root.host;
    const win = el.ownerDocument && el.ownerDocument.defaultView;
    if (win && win.frameElement) return win.frameElement;
    return null;
  },

  // contains reports whether outer is el or one of its flat-tree
  // ancestors.
  contains(outer, el) {
    for (let a = el; a; a = this.parent(a)) if (a === outer) return true;
    return false;
  },

  // describe names an element for a report: tag, id and two classes.
  describe(el) {
    if (!el || !el.localName) return '';
    let s = el.localName;
    if (el.id) s += '#' + el.id;
    const cls = (typeof el.className === 'string' ? el.className : '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
    for (const c of cls) s += '.' + c;
    return s;
  },

  // style returns the computed style of an element in its own window.
  style(el) { return el.ownerDocument.defaultView.getComputedStyle(el); },

  // fixed reports whether el or an ancestor is fixed or sticky.
  fixed(el) {
    for (let a = el; a; a = this.parent(a)) {
      if (a.nodeType !== 1) continue;
      const p = this.style(a).position;
      if (p === 'fixed' || p === 'sticky') return true;
    }
    return false;
  },

  // fragment returns the fragment of a link to a place in the top
  // document, or null: other documents, downloads, links that open
  // another window and the script fragments "#", "#!…" and "#/…" are not.
  fragment(el) {
    if (!el || el.ownerDocument !== document) return null;
    if (el.localName !== 'a' && el.localName !== 'area') return null;
    if (!el.hasAttribute('href') || el.hasAttribute('download')) return null;
    const target = (el.getAttribute('target') || '').trim().toLowerCase();
    if (target && target !== '_self') return null;
    let u;
    try { u = new URL(el.href); } catch (e) { return null; }
    const here = new URL(document.URL);
    if (u.origin !== here.origin || u.pathname !== here.pathname || u.search !== here.search) return null;
    const frag = u.hash.slice(1);
    if (!frag || frag.startsWith('!') || frag.startsWith('/')) return null;
    return frag;
  },

  // content returns where the page's main content starts: its first main
  // landmark, article or h1, or null.
  content() { return document.querySelector('main, [role=main], article, h1'); },

  // inContent reports whether el is in or after the main content.
  inContent(el) {
    const c = this.content();
    if (!c || !el || el.ownerDocument !== document) return false;
    return c === el || !!(c.compareDocumentPosition(el) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY));
  },

  // linksBeforeContent counts the links within the page that come before
  // the main content.
  linksBeforeContent() {
    const content = this.content();
    let n = 0;
    for (const a of document.querySelectorAll('a[href], area[href]')) {
      if (content && (content.compareDocumentPosition(a) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY))) break;
      if (this.fragment(a)) n++;
    }
    return n;
  },

  // target finds the element a fragment indicates, as the HTML standard
  // does: an id, else an a element with that name, trying the fragment as
  // written and then percent-decoded.
  target(frag) {
    const tries = [frag];
    try {
      const dec = decodeURIComponent(frag);
      if (dec !== frag) tries.push(dec);
    } catch (e) { /* keep the raw form */ }
    for (const f of tries) {
      const byID = document.getElementById(f);
      if (byID) return byID;
      for (const a of document.getElementsByName(f)) if (a.localName === 'a') return a;
    }
    return null;
  },

  // relation says where el sits relative to target in tree order.
  relation(el, target) {
    if (!el || !target) return 'none';
    if (el === target) return 'target';
    if (this.contains(target, el)) return 'inside';
    // Compare within the target's tree: climb out of shadow trees and
    // frames the target is not in.
    let a = el;
    while (a && a.getRootNode() !== target.getRootNode()) {
      const root = a.getRootNode();
      a = root.host || (a.ownerDocument.defaultView && a.ownerDocument.defaultView.frameElement) || null;
    }
    if (!a) return 'none';
    if (a === target || this.contains(a, target)) return 'before';
    return (target.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) ? 'after' : 'before';
  },

  // settle waits, at most maxMs, for the CSS transitions and finite
  // animations running on el or its ancestors to finish, so a skip link
  // that slides in is measured where it ends up.
  async settle(el, maxMs) {
    const doc = el.ownerDocument;
    const running = doc.getAnimations().filter((a) => {
      const t = a.effect && a.effect.target;
      if (!t || a.playState !== 'running') return false;
      const end = a.effect.getComputedTiming().endTime;
      return Number.isFinite(end) && this.contains(t, el);
    });
    if (running.length === 0) return;
    await Promise.race([
      Promise.all(running.map((a) => a.finished.catch(() => null))),
      new Promise((resolve) => setTimeout(resolve, maxMs)),
    ]);
  },

  // intersect returns the overlap of two boxes, or null.
  intersect(a, b) {
    if (!a || !b) return null;
    const x = Math.max(a.x, b.x), y = Math.max(a.y, b.y);
    const r = Math.min(a.x + a.w, b.x + b.w), bt = Math.min(a.y + a.h, b.y + b.h);
    if (r <= x || bt <= y) return null;
    return { x, y, w: r - x, h: bt - y };
  },

  // box returns an element's border box in top-viewport coordinates.
  box(el) { return this.offsetRect(el, el.getBoundingClientRect()); },

  // offsetRect moves a rectangle from el's frame into top-viewport
  // coordinates.
  offsetRect(el, r) {
    let x = r.left, y = r.top;
    for (let win = el.ownerDocument.defaultView; win && win !== window && win.frameElement; win = win.frameElement.ownerDocument.defaultView) {
      const fe = win.frameElement, fr = fe.getBoundingClientRect();
      x += fr.left + fe.clientLeft;
      y += fr.top + fe.clientTop;
    }
    return { x, y, w: r.width, h: r.height };
  },

  // clipRect turns a computed clip: rect(…) into a box, or null.
  clipRect(value, b) {
    const m = /rect\(([^)]*)\)/.exec(value);
    if (!m) return null;
    const v = m[1].split(/[\s,]+/).filter(Boolean);
    if (v.length !== 4) return null;
    const num = (s, auto) => (s === 'auto' ? auto : parseFloat(s));
    const top = num(v[0], 0), right = num(v[1], b.w), bottom = num(v[2], b.h), left = num(v[3], 0);
    return { x: b.x + left, y: b.y + top, w: Math.max(0, right - left), h: Math.max(0, bottom - top) };
  },

  // insetRect turns a computed clip-path: inset(…) into a box, or null.
  insetRect(value, b) {
    const m = /^inset\(([^)]*)\)/.exec(value);
    if (!m) return null;
    const parts = m[1].split(/\s+round\s+/)[0].split(/\s+/).filter(Boolean);
    const len = (s, ref) => (s.endsWith('%') ? (parseFloat(s) / 100) * ref : parseFloat(s) || 0);
    const [t, r = t, bo = t, l = r] = parts;
    const top = len(t, b.h), right = len(r, b.w), bottom = len(bo, b.h), left = len(l, b.w);
    return { x: b.x + left, y: b.y + top, w: Math.max(0, b.w - left - right), h: Math.max(0, b.h - top - bottom) };
  },

  // seen measures what of el shows: its box, the part left after clipping
  // by clip, clip-path and overflow ancestors and by the viewport, what
  // clipped it, its opacity with its ancestors' and its visibility.
  seen(el) {
    const b = this.box(el);
    let vis = { ...b };
    let clip = '';
    const own = this.style(el);
    let opacity = 1;
    // escape tracks whether el has left the overflow clipping of
    // ancestors: an absolute box escapes static ancestors, a fixed box
    // escapes everything but transformed ancestors.
    let escape = own.position === 'absolute' ? 'absolute' : own.position === 'fixed' ? 'fixed' : '';
    for (let a = el, first = true; a; a = this.parent(a), first = false) {
      if (a.nodeType !== 1) continue;
      const s = this.style(a);
      opacity *= parseFloat(s.opacity || '1');
      const ab = first ? b : this.box(a);
      if (s.clip && s.clip !== 'auto' && (s.position === 'absolute' || s.position === 'fixed')) {
        const c = this.clipRect(s.clip, ab);
        if (c) {
          vis = this.intersect(vis, c) || { x: vis.x, y: vis.y, w: 0, h: 0 };
          if (!clip && (c.w < 1 || c.h < 1 || vis.w < 1 || vis.h < 1)) clip = 'clip: ' + s.clip + (first ? '' : ' on ' + this.describe(a));
        }
      }
      if (s.clipPath && s.clipPath !== 'none') {
        const c = this.insetRect(s.clipPath, ab);
        if (c) {
          vis = this.intersect(vis, c) || { x: vis.x, y: vis.y, w: 0, h: 0 };
          if (!clip && (c.w < 1 || c.h < 1 || vis.w < 1 || vis.h < 1)) clip = 'clip-path: ' + s.clipPath + (first ? '' : ' on ' + this.describe(a));
        } else if (/^circle\(0(px)?[\s)]/.test(s.clipPath) && !clip) {
          vis = { x: vis.x, y: vis.y, w: 0, h: 0 };
          clip = 'clip-path: ' + s.clipPath + (first ? '' : ' on ' + this.describe(a));
        }
      }
      if (!first) {
        const transformed = s.transform !== 'none' || s.filter !== 'none' || s.perspective !== 'none' || /paint|strict|content/.test(s.contain || '');
        const positioned = s.position !== 'static';
        const clips = escape === '' || (escape === 'absolute' && (positioned || transformed)) || (escape === 'fixed' && transformed);
        if (clips && (s.overflowX !== 'visible' || s.overflowY !== 'visible') && a !== document.documentElement && a !== document.body) {
          const r = a.getBoundingClientRect();
          const off = this.box(a);
          const pad = { x: off.x + a.clientLeft, y: off.y + a.clientTop, w: a.clientWidth || r.width, h: a.clientHeight || r.height };
          const c = {
            x: s.overflowX !== 'visible' ? pad.x : -1e9, w: s.overflowX !== 'visible' ? pad.w : 2e9,
            y: s.overflowY !== 'visible' ? pad.y : -1e9, h: s.overflowY !== 'visible' ? pad.h : 2e9,
          };
          const before = vis;
          vis = this.intersect(vis, c) || { x: vis.x, y: vis.y, w: 0, h: 0 };
          if (!clip && before.w * before.h >= 1 && vis.w * vis.h < 1) clip = 'overflow: ' + s.overflowX + ' on ' + this.describe(a);
        }
        // An ancestor in el's chain of containing blocks passes on its
        // own escape: its box is clipped as its own position says.
        if (clips) escape = s.position === 'fixed' ? 'fixed' : s.position === 'absolute' ? 'absolute' : '';
      }
    }
    const viewport = { x: 0, y: 0, w: window.innerWidth, h: window.innerHeight };
    const inView = this.intersect(vis, viewport);
    return {
      box: b,
      visible: inView || { x: 0, y: 0, w: 0, h: 0 },
      clip,
      opacity: Math.round(opacity * 1000) / 1000,
      visibility: own.visibility,
    };
  },

  // drawn returns what shows of an element: itself, or, when its own box
  // is empty (an inline link around a block or floated logo), its
  // largest descendant.
  drawn(el) {
    const r = el.getBoundingClientRect();
    if (r.width * r.height >= 1) return el;
    let best = el, area = 0, n = 0;
    for (const d of el.querySelectorAll('*')) {
      if (++n > 200) break;
      const dr = d.getBoundingClientRect();
      if (dr.width * dr.height > area) { best = d; area = dr.width * dr.height; }
    }
    return best;
  },

  // pointAt returns the topmost element at a viewport point, looking into
  // open shadow roots.
  pointAt(x, y) {
    let el = document.elementFromPoint(x, y);
    while (el && el.shadowRoot) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  },

  // The paint model. Which elements paint over a focused element el at
  // a point P? Hit testing follows painting order, so
  // elementsFromPoint(P) lists every element whose box is at P, topmost
  // first; the ones listed before el (or before something in or around
  // it) are above it there. That list holds the element the hit test
  // finds first and those of its ancestors that are above el too: an
  // ancestor's background paints below its descendants' content, but
  // when the ancestor itself is above el in stacking order (a positioned
  // overlay with a z-index, say, whose transparent child the hit test
  // finds) its background still paints over el, and it is listed before
  // el. An ancestor that paints below el (a static block behind a
  // positioned link) is listed after el and does not count; nor does
  // the common ancestor, which contains el. Elements are listed whatever
  // their pointer-events, because everything is made hit-testable while
  // the list is taken (withPointer).
  //
  // Each element above el covers it only if it paints something over
  // el's visible box: a background colour whose alpha is above zero, a
  // border or outline (a side with width, a style and a colour whose
  // alpha is above zero) crossing the box, a box shadow reaching it,
  // text of its own over it, or a picture. It paints nothing when its
  // visibility is not visible or its opacity, times its ancestors', is
  // zero. Style settles most cases for sure; a picture whose pixels may
  // be transparent (a PNG, GIF, SVG or data: image, a background image,
  // a canvas, a video, a frame, generated content) is left to the
  // caller, who compares screenshots of el's box with and without it.

  // withPointer runs fn with every element of the document hit-testable
  // (pointer-events:auto), through a constructed style sheet that the
  // document adopts and gives up again before withPointer returns, so
  // the page's DOM is never touched. Adopting and giving up the sheet
  // makes the browser compute every element's style again, twice, which
  // on a page of 100,000 elements costs hundreds of milliseconds; when
  // the sheet would change no element's pointer-events (see
  // pointerUniform), fn runs without it.
  withPointer(fn) {
    if (this.pointerUniform()) return fn();
    const kept = [...document.adoptedStyleSheets];
    let sheet = null;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync('*, *::before, *::after { pointer-events: auto !important; }');
      document.adoptedStyleSheets = [...kept, sheet];
    } catch (e) { sheet = null; }
    try { return fn(); } finally { if (sheet) document.adoptedStyleSheets = kept; }
  },

  // pointerUniform reports whether every element of the document and
  // its ::before and ::after already have pointer-events:auto, so that
  // withPointer's sheet would change nothing. Elements are read from
  // their computed style, which holds whatever set it (style sheets,
  // style attributes, SVG attributes, animations, the browser's own
  // sheet, a slot they inherit from). ::before and ::after, whose
  // computed style costs too much to read one by one, inherit theirs
  // from their element unless a rule sets it: any rule of any style
  // sheet of the document or of an open shadow root that declares
  // pointer-events (or all), or a sheet whose rules cannot be read (from
  // another origin), makes the answer no; so does any error. The rules of
  // a closed shadow root cannot be read: a :host::before rule there that
  // sets pointer-events is not seen.
  pointerUniform() {
    const declares = (rules) => {
      for (const r of rules) {
        if (r.style && (r.style.getPropertyValue('pointer-events') !== '' || r.style.getPropertyValue('all') !== '')) return true;
        if (r.styleSheet && (!r.styleSheet.cssRules || declares(r.styleSheet.cssRules))) return true;
        if (r.cssRules && declares(r.cssRules)) return true;
      }
      return false;
    };
    try {
      // The document's own sheets first: on most pages one of them
      // answers, before the longer look at every element.
      for (const s of [...document.styleSheets, ...document.adoptedStyleSheets]) {
        if (declares(s.cssRules)) return false;
      }
      const shadows = [];
      const all = document.getElementsByTagName('*');
      for (let i = 0; i < all.length; i++) {
        const e = all[i];
        if (getComputedStyle(e).pointerEvents !== 'auto') return false;
        if (e.shadowRoot) shadows.push(...e.shadowRoot.styleSheets, ...e.shadowRoot.adoptedStyleSheets);
      }
      for (const s of shadows) {
        if (declares(s.cssRules)) return false;
      }
      return true;
    } catch (e) {
      return false;
    }
  },

  // elementsAt lists the elements at a viewport point, topmost first,
  // looking into open shadow roots.
  elementsAt(x, y, root) {
    root = root || document;
    const out = [];
    for (const e of root.elementsFromPoint(x, y)) {
      if (e.shadowRoot && e.shadowRoot !== root) {
        for (const i of this.elementsAt(x, y, e.shadowRoot)) {
          if (i !== e && this.contains(e, i) && !out.includes(i)) out.push(i);
        }
      }
      if (!out.includes(e)) out.push(e);
    }
    return out;
  },

  // above lists the elements above el at a viewport point, topmost
  // first, and returns the first element found there at all. Call it
  // inside withPointer.
  above(el, x, y) {
    const all = this.elementsAt(x, y);
    const list = [];
    for (const e of all) {
      if (e === el || this.contains(el, e) || this.contains(e, el)) break;
      list.push(e);
    }
    return { top: all.length ? all[0] : null, list };
  },

  // alpha returns the alpha of a computed colour: rgb() is 1,
  // transparent is 0.
  alpha(c) {
    if (!c || c === 'transparent') return 0;
    const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
    if (!m) return 1;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 4) return 1;
    const a = parts[3];
    return a.endsWith('%') ? parseFloat(a) / 100 : parseFloat(a);
  },

  // opacityOf returns an element's opacity times its ancestors'.
  opacityOf(el) {
    let o = 1;
    for (let a = el; a; a = this.parent(a)) if (a.nodeType === 1) o *= parseFloat(this.style(a).opacity || '1');
    return o;
  },

  // splitTop splits a computed list value at its top-level commas.
  splitTop(v) {
    const out = [];
    let depth = 0, cur = '';
    for (const ch of v) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
      cur += ch;
    }
    if (cur.trim()) out.push(cur.trim());
    return out;
  },

  // shadowReach returns how far, in CSS pixels, an element's outer box
  // shadows reach past its border box, and whether any inset shadow
  // paints inside it; only shadows whose colour is not transparent count.
  shadowReach(value) {
    let outer = -1, inset = false, shown = '';
    if (!value || value === 'none') return { outer, inset, shown };
    for (const sh of this.splitTop(value)) {
      const color = (/(rgba?\([^)]*\))/.exec(sh) || [])[1] || '';
      if (this.alpha(color) <= 0) continue;
      const lens = (sh.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g) || []).map(parseFloat);
      const [ox = 0, oy = 0, blur = 0, spread = 0] = lens;
      if (/\binset\b/.test(sh)) { inset = true; shown = shown || sh; continue; }
      const r = Math.max(Math.abs(ox), Math.abs(oy)) + blur + spread;
      if (r > 0 && r > outer) { outer = r; shown = shown || sh; }
    }
    return { outer, inset, shown };
  },

  // inside reports whether box a lies within box b.
  inside(a, b) { return a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h; },

  // jpeg reports whether an address names a JPEG picture, which has no
  // transparent pixels.
  jpeg(src) {
    if (!src) return false;
    if (/^data:image\/jpe?g[;,]/i.test(src)) return true;
    if (/^data:/i.test(src)) return false;
    return /\.(jpe?g)([?#]|$)/i.test(src) || /[?&](fm|format)=(jpe?g|pjpg)\b/i.test(src);
  },

  // paintOf says what e paints over the box area (viewport
  // coordinates): null when nothing for sure, else { what, value, sure },
  // where what is "background", "border", "outline", "shadow", "text",
  // "image", "background image" or "generated content", and sure is
  // false when only its pixels can tell (see the paint model above).
  paintOf(e, area) {
    if (!e || e.nodeType !== 1) return null;
    const s = this.style(e);
    if (s.visibility !== 'visible' || this.opacityOf(e) <= 0) return null;
    const b = this.box(e);
    const over = this.intersect(b, area);
    if (over && this.alpha(s.backgroundColor) > 0) return { what: 'background', value: s.backgroundColor, sure: true };
    // Borders, side by side.
    const sides = [
      ['Top', (w) => ({ x: b.x, y: b.y, w: b.w, h: w })],
      ['Bottom', (w) => ({ x: b.x, y: b.y + b.h - w, w: b.w, h: w })],
      ['Left', (w) => ({ x: b.x, y: b.y, w, h: b.h })],
      ['Right', (w) => ({ x: b.x + b.w - w, y: b.y, w, h: b.h })],
    ];
    for (const [side, ring] of sides) {
      const w = parseFloat(s['border' + side + 'Width']) || 0;
      const st = s['border' + side + 'Style'], c = s['border' + side + 'Color'];
      if (w > 0 && st !== 'none' && st !== 'hidden' && this.alpha(c) > 0 && this.intersect(ring(w), area)) {
        return { what: 'border', value: `${w}px ${st} ${c}`, sure: true };
      }
    }
    const ow = parseFloat(s.outlineWidth) || 0;
    if (ow > 0 && s.outlineStyle !== 'none' && this.alpha(s.outlineColor) > 0) {
      const off = parseFloat(s.outlineOffset) || 0;
      const o = { x: b.x - off - ow, y: b.y - off - ow, w: b.w + 2 * (off + ow), h: b.h + 2 * (off + ow) };
      const inner = { x: o.x + ow, y: o.y + ow, w: Math.max(0, o.w - 2 * ow), h: Math.max(0, o.h - 2 * ow) };
      const i = this.intersect(o, area);
      if (i && !this.inside(i, inner)) return { what: 'outline', value: `${ow}px ${s.outlineStyle} ${s.outlineColor}`, sure: true };
    }
    const sh = this.shadowReach(s.boxShadow);
    if (sh.inset && over) return { what: 'shadow', value: sh.shown, sure: true };
    if (sh.outer > 0) {
      const r = sh.outer;
      const i = this.intersect({ x: b.x - r, y: b.y - r, w: b.w + 2 * r, h: b.h + 2 * r }, area);
      if (i && !this.inside(i, b)) return { what: 'shadow', value: sh.shown, sure: true };
    }
    // Its own text.
    if (this.alpha(s.color) > 0 || (s.textShadow && s.textShadow !== 'none')) {
      for (const n of e.childNodes) {
        if (n.nodeType !== 3 || n.data.trim() === '') continue;
        const range = e.ownerDocument.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          if (this.intersect(this.offsetRect(e, r), area)) return { what: 'text', value: n.data.trim().replace(/\s+/g, ' ').slice(0, 40), sure: true };
        }
      }
    }
    if (!over) return null;
    const tag = e.localName;
    if (tag === 'img' || (tag === 'input' && (e.type || '').toLowerCase() === 'image')) {
      const src = e.currentSrc || e.src || '';
      const shown = src.startsWith('data:') ? src.slice(0, 40) + '…' : src;
      if (e.complete && e.naturalWidth > 0 && this.jpeg(src)) return { what: 'image', value: shown, sure: true };
      return { what: 'image', value: shown, sure: false };
    }
    if (['canvas', 'video', 'svg', 'object', 'embed', 'iframe', 'frame'].includes(tag) || e.ownerSVGElement) {
      return { what: 'image', value: tag, sure: false };
    }
    if (s.backgroundImage && s.backgroundImage !== 'none') {
      const m = /^url\("?([^")]*)"?\)$/.exec(s.backgroundImage);
      if (m && this.jpeg(m[1]) && s.backgroundSize !== '0px 0px') return { what: 'background image', value: m[1], sure: true };
      return { what: 'background image', value: s.backgroundImage.slice(0, 60), sure: false };
    }
    for (const pseudo of ['::before', '::after']) {
      const ps = e.ownerDocument.defaultView.getComputedStyle(e, pseudo);
      if (ps.content && ps.content !== 'none' && ps.content !== 'normal' && ps.display !== 'none') {
        return { what: 'generated content', value: pseudo, sure: false };
      }
    }
    return null;
  },

  // alphaAt reads the alpha, 0 to 255, of the pixel of an img element's
  // picture shown at a viewport point, by drawing that pixel on a
  // detached canvas; -1 when it cannot tell (a picture from another
  // origin, one not loaded, object-fit other than fill).
  alphaAt(img, x, y) {
    try {
      if (img.localName !== 'img' || !img.complete || !img.naturalWidth || !img.naturalHeight) return -1;
      if (this.style(img).objectFit !== 'fill') return -1;
      const b = this.box(img);
      if (b.w < 1 || b.h < 1) return -1;
      const sx = Math.min(img.naturalWidth - 1, Math.max(0, Math.floor(((x - b.x) / b.w) * img.naturalWidth)));
      const sy = Math.min(img.naturalHeight - 1, Math.max(0, Math.floor(((y - b.y) / b.h) * img.naturalHeight)));
      const c = document.createElement('canvas');
      c.width = 1;
      c.height = 1;
      const g = c.getContext('2d');
      g.drawImage(img, sx, sy, 1, 1, 0, 0, 1, 1);
      return g.getImageData(0, 0, 1, 1).data[3];
    } catch (e) {
      return -1;
    }
  },

  // paintsAt reports whether e paints at a small box: surely by style,
  // or, for an img element in doubt, where its picture's pixel there is
  // not transparent; other elements in doubt count as painting.
  paintsAt(e, dot) {
    const p = this.paintOf(e, dot);
    if (!p) return false;
    if (p.sure || p.what !== 'image') return true;
    return this.alphaAt(e, dot.x, dot.y) !== 0;
  },

  // paintStack judges what paints over el's visible box among the
  // elements above it at a point (inside withPointer). It returns the
  // first element found there, the topmost element that surely paints
  // (or null), with what it paints, and the elements whose pixels alone
  // can tell.
  paintStack(el, area, x, y) {
    const { top, list } = this.above(el, x, y);
    let painter = null, paint = null;
    const unsure = [];
    for (const e of list) {
      const p = this.paintOf(e, area);
      if (!p) continue;
      if (p.sure) { painter = e; paint = p; break; }
      unsure.push([e, p]);
    }
    return { top, painter, paint, unsure };
  },

  // paintAt hit-tests the focused element at a viewport point with every
  // element hit-testable, and judges by style whether what is on top
  // paints over the element's visible box. When only pixels can tell,
  // it hides the elements in doubt (visibility:hidden, no transition)
  // until reveal is called, so that the caller can take a screenshot
  // without them. It returns [element found, element that paints or is
  // in doubt, facts as JSON].
  paintAt(x, y) {
    const el = this.active();
    if (!el) return [null, null, JSON.stringify({ relation: 'none' })];
    const shown = this.drawn(el);
    const area = this.seen(shown).visible;
    const j = this.withPointer(() => this.paintStack(el, area, x, y));
    const hit = j.top;
    const facts = {
      relation: !hit ? 'none' : hit === el ? 'element' : this.contains(el, hit) ? 'descendant' : this.contains(hit, el) ? 'ancestor' : 'other',
      tag: this.describe(hit),
      fixed: hit ? this.fixed(hit) : false,
      painted: false,
      paint: 'style',
      paints: '',
      value: '',
      painterTag: '',
      hidden: 0,
    };
    if (facts.relation !== 'other') return [hit, null, JSON.stringify(facts)];
    let painter = null;
    if (j.painter) {
      painter = j.painter;
      Object.assign(facts, { painted: true, paints: j.paint.what, value: j.paint.value, painterTag: this.describe(painter) });
    } else if (j.unsure.length > 0) {
      painter = j.unsure[0][0];
      Object.assign(facts, { paint: 'pixels', paints: j.unsure[0][1].what, value: j.unsure[0][1].value, painterTag: this.describe(painter) });
      facts.hidden = this.conceal(j.unsure.map((u) => u[0]));
    }
    return [hit, painter, JSON.stringify(facts)];
  },

  // concealedKey names the window property that holds, between paintAt
  // and reveal, the elements paintAt hid and their style attributes.
  concealedKey: '__newsa11yConcealed',

  // conceal makes elements invisible, without transitions, and
  // remembers their style attributes for reveal. It returns how many it
  // hid.
  conceal(els) {
    const kept = [];
    for (const e of els) {
      kept.push([e, e.getAttribute('style')]);
      e.style.setProperty('transition', 'none', 'important');
      e.style.setProperty('visibility', 'hidden', 'important');
    }
    Object.defineProperty(window, this.concealedKey, { value: kept, configurable: true, enumerable: false, writable: true });
    return kept.length;
  },

  // reveal gives the elements conceal hid their style attributes back,
  // exactly as they were, and forgets them. It returns how many.
  reveal() {
    const kept = window[this.concealedKey];
    if (!kept) return 0;
    for (const [e, style] of kept) {
      if (style === null) e.removeAttribute('style');
      else e.setAttribute('style', style);
    }
    delete window[this.concealedKey];
    return kept.length;
  },

  // stop waits for the focused element to settle and measures it. It
  // returns [element, element found at its centre, facts as JSON].
  async stop(maxMs, frag) {
    const el = this.active();
    if (!el) return [null, null, JSON.stringify({ none: true })];
    await this.settle(el, maxMs);
    const m = this.measure(el, frag);
    return [el, m.hit, JSON.stringify(m.facts)];
  },

  // unsettled reports whether CSS transitions or finite animations are
  // running on el or its ancestors: what settle would wait for.
  unsettled(el) {
    return el.ownerDocument.getAnimations().some((a) => {
      const t = a.effect && a.effect.target;
      if (!t || a.playState !== 'running') return false;
      const end = a.effect.getComputedTiming().endTime;
      return Number.isFinite(end) && this.contains(t, el);
    });
  },

  // measure measures the focused element el as it is now: {hit: the
  // element found at its centre, facts}.
  measure(el, frag) {
    const shown = this.drawn(el);
    const s = this.seen(shown);
    let hit = null, point = null;
    if (s.visible.w >= 1 && s.visible.h >= 1) {
      // A link that wraps onto two lines has a gap in its bounding box:
      // aim at the middle of its largest line box that shows.
      let aim = s.visible;
      let best = 0;
      for (const r of shown.getClientRects()) {
        const v = this.intersect(this.offsetRect(shown, r), s.visible);
        if (v && v.w * v.h > best) { best = v.w * v.h; aim = v; }
      }
      point = { x: aim.x + aim.w / 2, y: aim.y + aim.h / 2 };
      hit = this.pointAt(point.x, point.y);
    }
    const facts = {
      tag: el.localName,
      href: el.getAttribute && el.hasAttribute('href') ? el.getAttribute('href') : '',
      fragment: this.fragment(el) || '',
      box: s.box,
      visible: s.visible,
      clip: s.clip,
      opacity: s.opacity,
      visibility: s.visibility,
      scrollX: window.scrollX,
      scrollY: window.scrollY,
      point,
      hitRelation: !hit ? 'none' : hit === el ? 'element' : this.contains(el, hit) ? 'descendant' : this.contains(hit, el) ? 'ancestor' : 'other',
      hitTag: this.describe(hit),
      hitFixed: hit ? this.fixed(hit) : false,
      relation: frag ? this.relation(el, this.target(frag)) : '',
      inContent: this.inContent(el),
    };
    return { hit, facts };
  },

  // logKey names the window property that holds the focus log.
  logKey: '__newsa11yFocusLog',

  // record starts the focus log, so that the walk can send Tab presses
  // back to back and read what each did once (see drain). A listener on
  // the window, first to see each Tab keydown, measures the element the
  // press before focused, while it still holds focus, scrolled into view;
  // a focusin listener notes focus that goes into a frame, whose key
  // presses the window no longer sees. The log halts the batch, cancelling
  // the Tab presses that follow unseen by the page's own listeners, at a
  // stop the walk must look at while it holds focus or that may end the
  // walk: one still in transition (drain waits for it), a link within the
  // page, an element focused before (a trap, or the wrap to the first
  // stop), three presses in a row that focus nothing, and the first stop
  // in the main content once minStops stops are recorded. It returns
  // [the document's address, how many presses to send first (ahead)].
  record(minStops) {
    this.unrecord();
    const log = {
      minStops, entries: [], keys: 0, halted: false, entered: -1,
      stops: 0, empties: 0, seen: new Set(), first: null,
    };
    log.onKey = (e) => {
      if (!e.isTrusted || e.key !== 'Tab' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
      log.keys++;
      if (log.halted) {
        e.preventDefault();
        e.stopImmediatePropagation();
        return;
      }
      if (log.keys === 1) return; // the batch's first press: nothing new to measure
      const el = this.active();
      const entry = { el, hit: null, facts: { none: true }, unsettled: false };
      if (el) {
        entry.unsettled = this.unsettled(el);
        const m = this.measure(el, '');
        entry.hit = m.hit;
        entry.facts = m.facts;
      }
      log.entries.push(entry);
      if (this.count(log, entry)) {
        log.halted = true;
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    log.onFocus = (e) => {
      const t = e.target;
      if (log.entered < 0 && t && (t.localName === 'iframe' || t.localName === 'frame' || t.localName === 'object' || t.localName === 'embed')) log.entered = log.keys;
    };
    log.onBlur = (e) => {
      if (e.target !== window || log.entered >= 0) return;
      const a = document.activeElement;
      if (a && (a.localName === 'iframe' || a.localName === 'frame' || a.localName === 'object' || a.localName === 'embed')) log.entered = log.keys;
    };
    window.addEventListener('keydown', log.onKey, true);
    window.addEventListener('focusin', log.onFocus, true);
    window.addEventListener('blur', log.onBlur, true);
    Object.defineProperty(window, this.logKey, { value: log, configurable: true });
    return [location.href, this.ahead(log)];
  },

  // count adds a measured state to the log's running count of stops and
  // reports whether the walk must look at it before Tab is pressed again.
  count(log, entry) {
    if (!entry.el) return ++log.empties >= 3;
    const left = log.empties > 0;
    log.empties = 0;
    const repeat = log.seen.has(entry.el);
    const wrapped = entry.el === log.first;
    if (!log.first) log.first = entry.el;
    log.seen.add(entry.el);
    log.stops++;
    return (repeat && !left) || wrapped || entry.unsettled || !!entry.facts.fragment ||
      (entry.facts.inContent && log.stops >= log.minStops);
  },

  // drain reads the log of the sent Tab presses since the last drain and
  // starts the next batch. The state after the last press, the one that
  // holds focus now, is measured after its transitions settle (at most
  // maxMs), as stop does. It returns [element, hit, …] for each state
  // after a press, then the facts as JSON: {entries: [facts…], keys: the
  // Tab keydowns the window saw, halted, entered: the keydowns seen when
  // focus went into a frame, or -1; ahead: how many presses to send next}.
  async drain(maxMs, sent) {
    const log = window[this.logKey];
    if (!log) throw new Error('the focus log is not running');
    const entries = log.entries;
    const keys = log.keys, halted = log.halted, entered = log.entered;
    log.entries = [];
    log.keys = 0;
    log.halted = false;
    log.entered = -1;
    const el = this.active();
    let last = { el, hit: null, facts: { none: true } };
    if (el) {
      await this.settle(el, maxMs);
      const m = this.measure(el, '');
      last = { el, hit: m.hit, facts: m.facts };
    }
    if (halted) {
      // The state that halted the batch holds focus still: measure it
      // settled.
      entries[entries.length - 1] = last;
    } else if (sent > 0) {
      this.count(log, last);
      entries.push(last);
    }
    const out = [];
    for (const e of entries) out.push(e.el, e.hit);
    out.push(JSON.stringify({ entries: entries.map((e) => e.facts), keys, halted, entered, ahead: this.ahead(log) }));
    return out;
  },

  // ahead estimates how many Tab presses from the focused element reach
  // the next state at which the focus log halts (see count) or focus
  // goes into a frame, by the tab order of the top document's elements
  // in tree order: the walk sends that many back to back, so that no
  // press is wasted behind a halt. It is only an estimate (shadow trees,
  // positive tabindex values, script focus), and the log's halts keep the
  // walk right whatever it says.
  ahead(log) {
    let from = document.activeElement;
    if (from === document.body || from === document.documentElement) from = null;
    let n = 0, stops = log.stops;
    for (const e of document.querySelectorAll(this.focusables)) {
      if (from && !(from.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      if (from && from.contains(e)) continue;
      if (!this.tabbable(e)) continue;
      n++;
      stops++;
      const name = e.localName;
      if (name === 'iframe' || name === 'frame' || name === 'object' || name === 'embed') return n;
      if (this.fragment(e)) return n;
      if (stops >= log.minStops && this.inContent(e)) return n;
    }
    return Math.max(n, 1);
  },

  // unrecord stops the focus log.
  unrecord() {
    const log = window[this.logKey];
    if (!log) return;
    window.removeEventListener('keydown', log.onKey, true);
    window.removeEventListener('focusin', log.onFocus, true);
    window.removeEventListener('blur', log.onBlur, true);
    delete window[this.logKey];
  },

  // next returns the focused element after the Tab press that follows
  // Enter, with its tag and where it is relative to the fragment's target:
  // [element, facts as JSON].
  next(frag) {
    const el = this.active();
    return [el, JSON.stringify({ tag: el ? el.localName : '', relation: this.relation(el, this.target(frag)), left: this.guarded().left })];
  },

  // reset puts the page back as the walk found it: no guard, nothing
  // focused, the original address (without a fragment the walk added)
  // and the top of the page. It returns the address the last guarded
  // press tried to load after unguard (see release), or ''.
  reset(href) {
    this.unrecord();
    this.reveal();
    const late = this.release();
    const el = this.active();
    if (el && el.blur) el.blur();
    if (document.activeElement && document.activeElement !== document.body && document.activeElement.blur) document.activeElement.blur();
    if (location.href !== href) history.replaceState(history.state, '', href);
    window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
    return late;
  },

  // before records the state just before Enter: [focused element, target,
  // facts as JSON].
  before(frag) {
    const t = this.target(frag);
    return [this.active(), t, JSON.stringify({ hash: location.hash, scrollY: window.scrollY, found: !!t })];
  },

  // waitScroll waits, at most maxMs, for the page to stop scrolling after
  // Enter: one frame for hashchange handlers, then, while the position
  // still moves (smooth scrolling), until it has been still for two
  // frames.
  async waitScroll(maxMs) {
    const end = performance.now() + maxMs;
    const frame = () => new Promise((resolve) => {
      let done = false;
      const finish = () => { if (!done) { done = true; resolve(); } };
      requestAnimationFrame(finish);
      setTimeout(finish, 50);
    });
    let last = window.scrollY;
    await frame();
    if (window.scrollY === last) return;
    let still = 0;
    last = window.scrollY;
    while (performance.now() < end && still < 2) {
      await frame();
      if (window.scrollY === last) still++;
      else { still = 0; last = window.scrollY; }
    }
  },

  // firstContent returns the first heading at or after the target, in
  // tree order, that has a box; else the first element after it that
  // holds text of its own.
  firstContent(target) {
    const isHeading = (e) => /^h[1-6]$/.test(e.localName) || (e.getAttribute && e.getAttribute('role') === 'heading');
    const hasBox = (e) => { const r = e.getBoundingClientRect(); return r.width >= 1 && r.height >= 1; };
    const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = target;
    let textEl = null, n = 0;
    for (let e = target; e && n < 3000; e = walker.nextNode(), n++) {
      if (isHeading(e) && hasBox(e)) return e;
      if (!textEl && hasBox(e) && [...e.childNodes].some((c) => c.nodeType === 3 && c.data.trim() !== '')) textEl = e;
    }
    return textEl;
  },

  // cover samples a grid of points over the visible part of el and
  // counts those where fixed or sticky content outside el paints on top
  // (see the paint model above; a picture whose pixels may be
  // transparent counts as painting, since a screenshot per point would
  // cost too much). Call it inside withPointer, so that overlays with
  // pointer-events:none are found too. It returns [points, covered,
  // first covering element that paints].
  cover(el) {
    if (!el) return [0, 0, null];
    const b = this.box(el);
    const vp = { x: 0, y: 0, w: window.innerWidth, h: window.innerHeight };
    let v = this.intersect(b, vp);
    if (!v && b.w * b.h < 1 && b.x >= 0 && b.x < vp.w && b.y >= 0 && b.y < vp.h) v = { x: b.x, y: b.y, w: 0, h: 0 };
    if (!v) return [0, 0, null];
    // A tall element is sampled over its first screenful of lines only.
    v = { ...v, h: Math.min(v.h, 120) };
    let points = 0, covered = 0, by = null;
    for (const fx of [0.1, 0.5, 0.9]) {
      for (const fy of [0.15, 0.5, 0.85]) {
        const x = Math.min(v.x + v.w * fx, vp.w - 1), y = Math.min(v.y + v.h * fy, vp.h - 1);
        points++;
        const dot = { x, y, w: 1, h: 1 };
        const painter = this.above(el, x, y).list.find((e) => this.fixed(e) && this.paintsAt(e, dot));
        if (painter) {
          covered++;
          if (!by) by = painter;
        }
      }
    }
    return [points, covered, by];
  },

  // after records what Enter did once scrolling settled: [focused
  // element, target, landing element, what covers it, first content, what
  // covers it, facts as JSON].
  async after(frag, maxMs) {
    await this.waitScroll(maxMs);
    const t = this.target(frag);
    const el = this.active();
    const landing = el && t && this.contains(t, el) ? el : t;
    const content = t ? this.firstContent(t) : null;
    const [[lp, lc, lby], [cp, cc, cby]] = this.withPointer(() => [this.cover(landing), this.cover(content)]);
    const facts = {
      hash: location.hash,
      scrollY: window.scrollY,
      focusedTag: el ? el.localName : (document.activeElement ? document.activeElement.localName : ''),
      relation: this.relation(el, t),
      landing: { tag: this.describe(landing), points: lp, covered: lc, byTag: this.describe(lby) },
      content: { tag: this.describe(content), text: content ? (content.innerText || content.textContent || '').trim().slice(0, 80) : '', points: cp, covered: cc, byTag: this.describe(cby) },
      left: this.guarded().left,
    };
    return [el, t, landing, lby, content, cby, JSON.stringify(facts)];
  },

  // guardKey names the guard on the window while the walk watches a key
  // press: a symbol, which the page's own scripts do not enumerate.
  guardKey: Symbol.for('newsa11y.walk.guard'),

  // sameDocumentURL reports whether an address is the document's own,
  // fragment aside.
  sameDocumentURL(url) {
    try {
      const u = new URL(url, document.URL), here = new URL(document.URL);
      u.hash = '';
      here.hash = '';
      return u.href === here.href;
    } catch (e) {
      return false;
    }
  },

  // documentScheme reports whether an address loads a document in the
  // tab: http, https, file, data, blob, about. Any other scheme (mailto:,
  // tel:, sms:, intent:, an app's own) is handed to another application
  // and leaves the document where it is.
  documentScheme(url) {
    try {
      return ['http:', 'https:', 'file:', 'data:', 'blob:', 'about:'].includes(new URL(url, document.URL).protocol);
    } catch (e) {
      return false;
    }
  },

  // submission returns the address a form's submission loads: the
  // submitter's formaction or the form's action, with the form's fields
  // as the query for GET; '' for method dialog, which loads nothing.
  submission(form, submitter) {
    const own = (name) => submitter && submitter.hasAttribute && submitter.hasAttribute(name);
    const method = ((own('formmethod') ? submitter.formMethod : form.method) || 'get').toLowerCase();
    if (method === 'dialog') return '';
    try {
      const u = new URL(own('formaction') ? submitter.formAction : form.action, document.URL);
      if (method === 'get' && this.documentScheme(u.href)) {
        u.search = '?' + new URLSearchParams(new FormData(form, submitter || null)).toString();
      }
      return u.href;
    } catch (e) {
      return form.action || 'another document';
    }
  },

  // guard starts watching the key presses on the focused element, the
  // control: a navigation to another address (a link to another page, a
  // script setting location, a router pushing another route, a form
  // submitted) is cancelled and its address kept, and window.open is
  // answered with null and form.submit() does nothing, so the page stays
  // the captured document.
  // Navigations are cancelled through the Navigation API's navigate
  // event; a form's submission already at its submit event, because the
  // browser starts the navigation of a submission in a later task, which
  // may come after the walk has read what the press did.
  //
  // unguard ends the watch over the press but not the cancelling: a
  // navigation the press started late (from a timer, or once a request
  // answered)
  // is still cancelled, and its address kept apart, until release, which
  // reset and the next guard call before the walk presses any other key.
  // guard returns that late address of the previous guard, '' when none,
  // so the walk can give it to the press that made it.
  guard() {
    const late = this.release();
    const g = { left: '', late: '', done: false, control: this.active(), open: window.open, submit: HTMLFormElement.prototype.submit, nav: window.navigation || null };
    const note = (to) => {
      if (g.done) {
        if (!g.late) g.late = to;
      } else if (!g.left) {
        g.left = to;
      }
    };
    g.listener = (e) => {
      const to = e.destination ? e.destination.url : '';
      // A fragment within the document is the walk's to measure; a reload
      // or another route, even one a router keeps in the document, leaves
      // the page the walk captured.
      if (to && e.destination.sameDocument && this.sameDocumentURL(to)) return;
      note(to || 'another document');
      if (e.cancelable) e.preventDefault();
    };
    // Listening on the window, after the page's own listeners, the guard
    // sees a submission the page did not take over itself.
    g.onSubmit = (e) => {
      if (e.defaultPrevented || !e.target || e.target.localName !== 'form') return;
      const to = this.submission(e.target, e.submitter);
      if (!to) return;
      e.preventDefault();
      note(to);
    };
    if (g.nav) g.nav.addEventListener('navigate', g.listener);
    window.addEventListener('submit', g.onSubmit);
    window.open = function (url) {
      note(url ? new URL(String(url), document.URL).href : 'a new window');
      return null;
    };
    // form.submit() fires no submit event, and its navigation, too, starts
    // in a later task: the guard takes the call itself.
    const self = this;
    HTMLFormElement.prototype.submit = function () {
      const to = self.submission(this, null);
      if (!to) return g.submit.call(this);
      note(to);
      return undefined;
    };
    Object.defineProperty(window, this.guardKey, { value: g, configurable: true });
    return late;
  },

  // unguard ends the watch over the press and returns the address the
  // page tried to load during it, or ''. Navigations stay cancelled until
  // release.
  unguard() {
    const g = window[this.guardKey];
    if (!g) return '';
    g.done = true;
    return g.left;
  },

  // release removes the guard altogether and returns the address the
  // page tried to load after unguard, or ''.
  release() {
    const g = window[this.guardKey];
    if (!g) return '';
    if (g.nav) g.nav.removeEventListener('navigate', g.listener);
    window.removeEventListener('submit', g.onSubmit);
    window.open = g.open;
    HTMLFormElement.prototype.submit = g.submit;
    delete window[this.guardKey];
    return g.late;
  },

  // guarded returns the running guard: the control and the address the
  // page tried to load.
  guarded() {
    const g = window[this.guardKey];
    return g || { left: '', control: null };
  },

  // control returns the guarded control: [element].
  control() { return [this.guarded().control]; },

  // tabbable reports whether el is in the tab order: focusable by its
  // kind or by a tabindex that is not negative, not disabled, rendered
  // and visible (checkVisibility), not inert.
  tabbable(el) {
    if (el.tabIndex < 0 || el.disabled) return false;
    if ((el.localName === 'a' || el.localName === 'area') && !el.hasAttribute('href')) return false;
    if (el.closest('[inert]')) return false;
    if (el.checkVisibility && !el.checkVisibility({ checkVisibilityCSS: true, visibilityProperty: true })) return false;
    return true;
  },

  // focusables is what may be in the tab order.
  focusables: 'a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, [tabindex], [contenteditable=""], [contenteditable=true]',

  // block returns the elements a control's aria-controls names, in the
  // top document; empty when it names none.
  block(el) {
    if (!el || !el.getAttribute) return [];
    const ids = (el.getAttribute('aria-controls') || '').trim().split(/\s+/).filter(Boolean);
    return ids.map((id) => document.getElementById(id)).filter(Boolean);
  },

  // countStops counts the elements in the tab order inside the blocks,
  // or, without blocks, those before the main content.
  countStops(blocks) {
    let n = 0;
    if (blocks.length > 0) {
      for (const b of blocks) {
        if (b.matches(this.focusables) && this.tabbable(b)) n++;
        for (const e of b.querySelectorAll(this.focusables)) if (this.tabbable(e)) n++;
      }
      return n;
    }
    const content = this.content();
    for (const e of document.querySelectorAll(this.focusables)) {
      if (content && (content === e || (content.compareDocumentPosition(e) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY)))) break;
      if (this.tabbable(e)) n++;
    }
    return n;
  },

  // controlState records what a press on the guarded control may change:
  // [first block element, facts as JSON].
  controlState() {
    const c = this.guarded().control;
    const blocks = this.block(c);
    return [blocks[0] || null, JSON.stringify({
      hash: location.hash,
      scrollY: window.scrollY,
      expanded: c && c.getAttribute ? (c.getAttribute('aria-expanded') || '') : '',
      stops: this.countStops(blocks),
      block: this.describe(blocks[0]),
    })];
  },

  // controlAfter records what a key press on the guarded control did once
  // scrolling settled: [focused element, block, landing element, what
  // covers it, first content after it, what covers that, facts as JSON].
  // Relations are taken against the control.
  async controlAfter(maxMs) {
    await this.waitScroll(maxMs);
    const g = this.guarded();
    const el = this.active();
    const landing = el && el !== g.control ? el : null;
    const content = landing ? this.firstContent(landing) : null;
    const [lp, lc, lby] = this.cover(landing);
    const [cp, cc, cby] = this.cover(content);
    const [block, state] = this.controlState();
    const facts = Object.assign(JSON.parse(state), {
      left: g.left,
      focusedTag: el ? el.localName : (document.activeElement ? document.activeElement.localName : ''),
      relation: this.relation(el, g.control),
      landing: { tag: this.describe(landing), points: lp, covered: lc, byTag: this.describe(lby) },
      content: { tag: this.describe(content), text: content ? (content.innerText || content.textContent || '').trim().slice(0, 80) : '', points: cp, covered: cc, byTag: this.describe(cby) },
    });
    return [el, block, landing, lby, content, cby, JSON.stringify(facts)];
  },

  // nextFromControl returns the focused element after the Tab press that
  // follows the control's activation, with its tag and where it is
  // relative to the control: [element, facts as JSON].
  nextFromControl() {
    const el = this.active();
    return [el, JSON.stringify({ tag: el ? el.localName : '', relation: this.relation(el, this.guarded().control), left: this.guarded().left })];
  },

  // hide removes the elements each selector matches and returns, per
  // selector, [count removed, error message].
  hide(selectors) {
    return JSON.stringify(selectors.map((sel) => {
      try {
        const found = document.querySelectorAll(sel);
        found.forEach((e) => e.remove());
        return [found.length, ''];
      } catch (e) {
        return [0, String(e && e.message ? e.message : e)];
      }
    }));
  },
})
