// The page-side half of consent-dialog handling (see consent.go). Each
// evaluation builds this object and calls one of its methods, which finds
// the dialog again from the markup; nothing is left behind in the page.
// Methods return JSON strings.
({
  // platforms are the consent platforms recognised from their markup, in
  // the order they are tried: the dialog's root, the elements a removal
  // takes away with it, and the ids or selectors of their own accept and
  // close controls, most likely first.
  platforms: [
    { name: 'OneTrust', root: '#onetrust-banner-sdk', remove: '#onetrust-consent-sdk',
      controls: ['#onetrust-accept-btn-handler', '#accept-recommended-btn-handler', '.onetrust-close-btn-handler', '#onetrust-close-btn-container button'] },
    { name: 'Sourcepoint', root: '[id^="sp_message_container"]', remove: '[id^="sp_message_container"]',
      controls: ['button.sp_choice_type_11', 'button[title="Accept"]', 'button.sp_choice_type_12'] },
    { name: 'Didomi', root: '#didomi-host', remove: '#didomi-host',
      controls: ['#didomi-notice-agree-button', '.didomi-continue-without-agreeing', '#didomi-popup-close'] },
    { name: 'Quantcast', root: '.qc-cmp2-container', remove: '.qc-cmp2-container',
      controls: ['.qc-cmp2-summary-buttons button[mode="primary"]', '.qc-cmp2-close-icon'] },
    { name: 'TrustArc', root: '#truste-consent-track, .truste_box_overlay', remove: '#truste-consent-track, .truste_box_overlay, .truste_overlay',
      controls: ['#truste-consent-button', '.call', '#truste-consent-close'] },
    { name: 'Usercentrics', root: '#usercentrics-root, #usercentrics-cmp-ui', remove: '#usercentrics-root, #usercentrics-cmp-ui',
      controls: ['[data-testid="uc-accept-all-button"]', '#accept', '[data-testid="uc-deny-all-button"]'] },
    { name: 'Cookiebot', root: '#CybotCookiebotDialog', remove: '#CybotCookiebotDialog, #CybotCookiebotDialogBodyUnderlay',
      controls: ['#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll', '#CybotCookiebotDialogBodyButtonAccept', '#CybotCookiebotDialogBodyLevelButtonAccept'] },
  ],

  // acceptWords and closeWords recognise an accept or a close control by
  // its name when the platform's own ids are not there; refuseWords rule
  // out the controls that open settings or refuse.
  acceptWords: /\b(accept|agree|allow all|consent|got it|ok|okay|i understand|continue|akzeptieren|zustimmen|einverstanden|accepter|j'accepte|tout accepter|aceptar|acepto|accetta|accetto|aceitar|akkoord|accepteren|godkänn|acceptera)\b/i,
  closeWords: /^(close|dismiss|×|✕|x|schließen|fermer|cerrar|chiudi)$|\b(close|dismiss)\b/i,
  refuseWords: /\b(reject|decline|refuse|deny|settings|manage|options|preferences|customi[sz]e|more info|learn more|privacy policy|partners|without)\b/i,

  // key holds the dialog found first while the handling runs, so that a
  // modal dialog is still found once focus has left it; finish drops it.
  key: Symbol.for('newsa11y.consent'),

  // found returns the dialog's root and its platform, or null.
  found() {
    const kept = window[this.key];
    if (kept) {
      if (kept.el.isConnected && this.shown(kept.el)) return kept;
      if (kept.platform.name === 'modal dialog') return null;
    }
    const d = this.find();
    if (d && !kept) window[this.key] = d;
    return d;
  },

  // finish forgets the dialog.
  finish() {
    delete window[this.key];
    return JSON.stringify(true);
  },

  // find looks for a consent dialog that shows.
  find() {
    for (const p of this.platforms) {
      for (const el of document.querySelectorAll(p.root)) {
        if (this.shown(el)) return { el, platform: p };
      }
    }
    // A dialog of the site's own counts when it holds focus as the page
    // has loaded, or is a modal dialog element.
    const modal = document.querySelectorAll('dialog[open], [role="dialog"], [role="alertdialog"]');
    const act = this.active();
    for (const el of modal) {
      if (!this.shown(el)) continue;
      if ((act && this.within(el, act)) || (el.matches(':modal'))) {
        return { el, platform: { name: 'modal dialog', controls: [] } };
      }
    }
    return null;
  },

  // shown reports whether an element, or one of its first descendants,
  // draws a box on screen.
  shown(el) {
    const drawn = (e) => {
      if (e.checkVisibility && !e.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
      const r = e.getBoundingClientRect();
      return r.width >= 1 && r.height >= 1;
    };
    if (!el.isConnected) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) {
      // An element can be invisible itself and hold visible children,
      // but display:none hides them all.
      if (getComputedStyle(el).display === 'none') return false;
    }
    if (drawn(el)) return true;
    const roots = [el];
    if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const r of roots) {
      let n = 0;
      for (const e of r.querySelectorAll('*')) {
        if (++n > 400) break;
        if (drawn(e)) return true;
      }
    }
    return false;
  },

  // active returns the focused element, looking into open shadow roots
  // and same-origin frames; null when nothing is focused.
  active() {
    let el = document.activeElement;
    for (;;) {
      if (!el) return null;
      if (el.shadowRoot && el.shadowRoot.activeElement) { el = el.shadowRoot.activeElement; continue; }
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let doc = null;
        try { doc = el.contentDocument; } catch (e) { doc = null; }
        if (doc && doc.activeElement && doc.activeElement !== doc.body && doc.activeElement !== doc.documentElement) { el = doc.activeElement; continue; }
      }
      break;
    }
    if (el === document.body || el === document.documentElement) return null;
    return el;
  },

  // up returns the parent in the flat tree, across shadow roots and
  // same-origin frames.
  up(el) {
    if (el.assignedSlot) return el.assignedSlot;
    if (el.parentElement) return el.parentElement;
    const root = el.parentNode;
    if (root && root.host) return root.host;
    const view = el.ownerDocument && el.ownerDocument.defaultView;
    try { return view && view.frameElement; } catch (e) { return null; }
  },

  // within reports whether el is outer or inside it, in the flat tree.
  within(outer, el) {
    for (let e = el; e; e = this.up(e)) if (e === outer) return true;
    return false;
  },

  // path names an element by its position, to tell stops apart.
  path(el) {
    const parts = [];
    for (let e = el; e; e = this.up(e)) {
      let i = 0;
      for (let s = e; s; s = s.previousElementSibling) i++;
      parts.push(e.localName + i);
    }
    return parts.reverse().join('/');
  },

  // selector writes a short CSS selector for the dialog's root.
  selector(el) {
    if (el.id) return '#' + CSS.escape(el.id);
    let s = el.localName;
    for (const c of el.classList) { s += '.' + CSS.escape(c); break; }
    return s;
  },

  // label describes an element as a stop, e.g. `button "Accept all"`.
  label(el) {
    const tag = el.localName;
    let role = el.getAttribute('role') || '';
    if (!role) {
      if (tag === 'a' && el.hasAttribute('href')) role = 'link';
      else if (tag === 'button' || (tag === 'input' && /^(button|submit|reset)$/.test(el.type))) role = 'button';
      else if (tag === 'input' && el.type === 'checkbox') role = 'checkbox';
      else if (tag === 'input' || tag === 'textarea') role = 'textbox';
      else if (tag === 'select') role = 'combobox';
      else if (tag === 'iframe') role = 'frame';
      else role = tag;
    }
    const name = this.name(el);
    return name ? role + ' "' + name + '"' : role;
  },

  // name approximates an element's accessible name, enough to tell the
  // controls of a dialog apart.
  name(el) {
    let n = el.getAttribute('aria-label') || '';
    const by = el.getAttribute('aria-labelledby');
    if (!n && by) {
      const root = el.getRootNode();
      n = by.split(/\s+/).map((id) => { const t = root.getElementById ? root.getElementById(id) : document.getElementById(id); return t ? t.textContent : ''; }).join(' ');
    }
    if (!n) n = el.innerText || el.textContent || '';
    if (!n && el.localName === 'input') n = el.value || '';
    if (!n) n = el.getAttribute('title') || '';
    n = n.replace(/\s+/g, ' ').trim();
    return n.length > 60 ? n.slice(0, 57) + '…' : n;
  },

  // tabbable reports whether Tab can reach an element.
  tabbable(el) {
    if (el.disabled || el.tabIndex < 0) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  },

  // all returns the elements under the dialog's root, its open shadow
  // trees and same-origin frames included.
  all(el) {
    const out = [];
    const visit = (root) => {
      for (const e of root.querySelectorAll('*')) {
        out.push(e);
        if (e.shadowRoot) visit(e.shadowRoot);
        if (e.localName === 'iframe') {
          let doc = null;
          try { doc = e.contentDocument; } catch (x) { doc = null; }
          if (doc && doc.documentElement) visit(doc);
        }
      }
    };
    if (el.shadowRoot) visit(el.shadowRoot);
    visit(el);
    return out;
  },

  // control returns the dialog's accept or close control: the platform's
  // own, else one whose name accepts, else one whose name closes.
  control(d) {
    const els = this.all(d.el);
    const visible = (e) => this.shown(e);
    for (const sel of d.platform.controls) {
      const e = els.find((x) => x.matches(sel) && visible(x));
      if (e) return e;
    }
    const controls = els.filter((e) => e.matches('button, a[href], [role="button"], [role="link"], input[type="button"], input[type="submit"], [onclick]') && visible(e));
    const by = (re) => controls.find((e) => { const n = this.name(e) || e.getAttribute('aria-label') || ''; return re.test(n) && !this.refuseWords.test(n); });
    return by(this.acceptWords) || by(this.closeWords) || null;
  },

  // detect describes the dialog: platform, selector, modal, its control,
  // whether that control can take focus from Tab, and whether the dialog
  // draws inside a frame from another site.
  detect() {
    const d = this.found();
    if (!d) return JSON.stringify(null);
    const c = this.control(d);
    const el = d.el;
    let modal = el.getAttribute('aria-modal') === 'true' || (el.matches(':modal'));
    if (!modal) {
      for (const e of [el, ...el.querySelectorAll('[aria-modal="true"]')]) {
        if (e.getAttribute('aria-modal') === 'true') { modal = true; break; }
      }
    }
    const frames = [...el.querySelectorAll('iframe')].filter((f) => { try { return !f.contentDocument; } catch (x) { return true; } });
    return JSON.stringify({
      platform: d.platform.name,
      selector: this.selector(el),
      modal,
      control: c ? this.label(c) : '',
      controlPath: c ? this.path(c) : '',
      controlTabbable: c ? this.tabbable(c) : false,
      foreignFrame: frames.length > 0,
    });
  },

  // start puts the page as a user meets it: nothing focused, the top.
  start() {
    const el = this.active();
    if (el && el.blur) el.blur();
    if (document.activeElement && document.activeElement !== document.body && document.activeElement.blur) document.activeElement.blur();
    window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
    return JSON.stringify(true);
  },

  // stop describes the focused element: its path, label, whether it is in
  // the dialog and whether it is a frame the walk cannot see into.
  stop() {
    const el = this.active();
    if (!el) return JSON.stringify(null);
    const d = this.found();
    let frame = false;
    if (el.localName === 'iframe' || el.localName === 'frame') frame = true;
    return JSON.stringify({ path: this.path(el), label: this.label(el), inDialog: !!(d && this.within(d.el, el)), frame });
  },

  // focusFirst focuses the first element of the dialog Tab can reach and
  // reports whether one took focus.
  focusFirst() {
    const d = this.found();
    if (!d) return JSON.stringify(false);
    const e = this.all(d.el).find((x) => this.tabbable(x));
    if (!e) return JSON.stringify(false);
    e.focus();
    return JSON.stringify(this.active() === e);
  },

  // focusControl focuses the dialog's control and reports whether it took
  // focus.
  focusControl() {
    const d = this.found();
    if (!d) return JSON.stringify(false);
    const c = this.control(d);
    if (!c) return JSON.stringify(false);
    c.focus();
    return JSON.stringify(this.active() === c);
  },

  // gone reports whether the dialog no longer shows.
  gone() {
    return JSON.stringify(this.found() === null);
  },

  // hide removes the dialog and what its platform draws with it (an
  // overlay) and gives back the scrolling a dialog takes away with an
  // inline style. It returns how many elements it removed.
  hide() {
    const d = this.found();
    if (!d) return JSON.stringify(0);
    const sel = d.platform.remove;
    const els = sel ? [...document.querySelectorAll(sel)] : [d.el];
    if (!els.includes(d.el) && !els.some((e) => e.contains(d.el))) els.push(d.el);
    for (const e of els) e.remove();
    for (const e of [document.documentElement, document.body]) {
      if (e && e.style.overflow === 'hidden') e.style.overflow = '';
    }
    return JSON.stringify(els.length);
  },
})
