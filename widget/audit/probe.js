/* Care Widgets audit: what the checks measure inside one document.
 *
 * Evaluated by Playwright in every frame of the audited page (evaluate() is
 * not bound by the page's Content-Security-Policy). It only reads, except for
 * the visitor styles it adds and removes through CSSOM (a constructed style
 * sheet, which a strict CSP allows) and the focus it moves. Everything is
 * scoped to widget roots: the outermost [data-widget] elements.
 */
(() => {
  if (window.__cwAudit) return;

  const CONTROLS =
    'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, ' +
    '[tabindex], [contenteditable=""], [contenteditable="true"]';
  const ROLE_CONTROLS = '[role="button"], [role="link"], [role="checkbox"], [role="tab"], ' +
    '[role="menuitem"], [role="switch"], [role="radio"], [role="option"]';
  // Scripts each language is written in (primary subtag); anything else: Latin.
  const SCRIPTS = {
    ar: /\p{Script=Arabic}/u, fa: /\p{Script=Arabic}/u, ur: /\p{Script=Arabic}/u,
    he: /\p{Script=Hebrew}/u, ru: /\p{Script=Cyrillic}/u, uk: /\p{Script=Cyrillic}/u,
    bg: /\p{Script=Cyrillic}/u, zh: /\p{Script=Han}/u, ja: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u,
    ko: /[\p{Script=Hangul}\p{Script=Han}]/u, el: /\p{Script=Greek}/u, th: /\p{Script=Thai}/u,
    hi: /\p{Script=Devanagari}/u,
  };
  const LATIN = /\p{Script=Latin}/u;
  const styles = [];

  function roots() {
    return Array.from(document.querySelectorAll("[data-widget]")).filter(
      (el) => !(el.parentElement && el.parentElement.closest("[data-widget]"))
    );
  }

  function path(el) {
    const parts = [];
    for (; el && el.nodeType === 1 && el !== document.documentElement; el = el.parentElement) {
      let index = 1;
      for (let s = el.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.tagName === el.tagName) index++;
      }
      parts.unshift(`${el.tagName.toLowerCase()}:nth-of-type(${index})`);
    }
    return ["html"].concat(parts).join(" > ");
  }

  function snippet(el) {
    const html = el.outerHTML;
    const open = html.slice(0, html.indexOf(">") + 1);
    const text = (el.textContent || "").replace(/\s+/g, " ").trim();
    return (open + (text ? " " + text.slice(0, 120) : "")).slice(0, 400);
  }

  // The base direction of the line an element sits on: its block container's
  // (English text inside an Arabic widget runs left to right).
  function lineDirection(el) {
    let block = el.parentElement || el;
    while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) {
      block = block.parentElement;
    }
    return getComputedStyle(block).direction;
  }

  function describe(el, extra) {
    const root = el.closest("[data-widget]");
    const rect = el.getBoundingClientRect();
    return Object.assign(
      {
        selector: path(el),
        html: snippet(el),
        widget: root ? root.getAttribute("data-widget") : null,
        line: lineDirection(el),
        // Page coordinates: focus scrolls the page, and rects are compared across presses.
        rect: { x: rect.x + scrollX, y: rect.y + scrollY, width: rect.width, height: rect.height },
      },
      extra || {}
    );
  }

  function inWidgets(selector) {
    const found = [];
    for (const root of roots()) {
      if (root.matches(selector)) found.push(root);
      found.push(...root.querySelectorAll(selector));
    }
    return found;
  }

  function rendered(el) {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== "hidden" && style.display !== "none";
  }

  function hiddenFromEveryone(el) {
    return !!el.closest('[aria-hidden="true"], [inert], [hidden]');
  }

  // Inside a closed <details>, outside its <summary>: not reachable until the
  // visitor opens it (the summary itself is), so not expected on the Tab path.
  function inClosedDetails(el) {
    for (let d = el.closest("details:not([open])"); d; d = d.parentElement?.closest("details:not([open])")) {
      const summary = d.querySelector(":scope > summary");
      if (!summary || !summary.contains(el)) return true;
    }
    return false;
  }

  // Controls a keyboard visitor must reach: focusable, shown, enabled.
  function controls() {
    return inWidgets(CONTROLS)
      .filter((el) => el.tabIndex >= 0 && !el.disabled && rendered(el) && !hiddenFromEveryone(el))
      .filter((el) => !inClosedDetails(el))
      .filter((el) => !(el.tagName === "SUMMARY" && el.parentElement.tagName !== "DETAILS"))
      .map((el) => describe(el));
  }

  // Elements that act as controls but a keyboard cannot reach.
  function unreachable() {
    return inWidgets(ROLE_CONTROLS)
      .filter((el) => !el.matches(CONTROLS) && rendered(el) && !hiddenFromEveryone(el))
      .map((el) => describe(el));
  }

  function focusStyle(el) {
    const style = getComputedStyle(el);
    return {
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      outlineColor: style.outlineColor,
      boxShadow: style.boxShadow,
      focusVisible: el.matches(":focus-visible"),
    };
  }

  function focused() {
    if (!document.hasFocus()) return { where: "elsewhere" };
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { where: "none" };
    if (el.tagName === "IFRAME" || el.tagName === "FRAME") return { where: "frame", selector: path(el) };
    if (!el.closest("[data-widget]")) return { where: "page", selector: path(el) };
    return describe(el, { where: "widget", style: focusStyle(el) });
  }

  // Focus each control as a script does: after a Tab press, Chromium shows a
  // script-moved focus as :focus-visible too, so the styles are the keyboard's.
  function focusEach(selectors) {
    return selectors.map((selector) => {
      const el = document.querySelector(selector);
      if (!el) return null;
      el.focus({ preventScroll: true });
      return describe(el, { style: focusStyle(el), focused: document.activeElement === el });
    });
  }

  // Controls in flex or grid containers that CSS shows in another order than the DOM's.
  function reordered() {
    const found = [];
    for (const el of inWidgets("*")) {
      const style = getComputedStyle(el);
      const reverse = /reverse/.test(style.flexDirection) || /reverse/.test(style.flexWrap);
      const moved = style.order !== "0" && el.parentElement && /flex|grid/.test(getComputedStyle(el.parentElement).display);
      if ((reverse && el.querySelectorAll(CONTROLS).length > 1) || (moved && (el.matches(CONTROLS) || el.querySelector(CONTROLS)))) {
        found.push(describe(el, { how: reverse ? `flex-direction: ${style.flexDirection}` : `order: ${style.order}` }));
      }
    }
    return found;
  }

  // WCAG 2.5.8: at least 24 by 24, unless inline in a sentence, or spaced so a
  // 24 px circle on its centre touches no other target (nor another's circle).
  function targets() {
    const all = inWidgets(CONTROLS)
      .filter((el) => el.tabIndex >= 0 && rendered(el) && !hiddenFromEveryone(el))
      .map((el) => ({ el, rect: el.getBoundingClientRect() }));
    const small = [];
    for (const item of all) {
      const { el, rect } = item;
      if (rect.width >= 23.5 && rect.height >= 23.5) continue;
      if (inSentence(el)) continue;
      const cx = rect.x + rect.width / 2;
      const cy = rect.y + rect.height / 2;
      const crowded = all.some((other) => {
        if (other === item) return false;
        const r = other.rect;
        const dx = Math.max(r.x - cx, 0, cx - (r.x + r.width));
        const dy = Math.max(r.y - cy, 0, cy - (r.y + r.height));
        const small2 = r.width < 23.5 || r.height < 23.5;
        const ox = r.x + r.width / 2;
        const oy = r.y + r.height / 2;
        return Math.hypot(dx, dy) < 12 || (small2 && Math.hypot(ox - cx, oy - cy) < 24);
      });
      if (crowded) small.push(describe(el, { size: `${Math.round(rect.width)}×${Math.round(rect.height)}` }));
    }
    return small;
  }

  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block.parentElement && getComputedStyle(block).display === "inline") block = block.parentElement;
    const text = (block.textContent || "").replace(/\s+/g, " ").trim();
    const own = (el.textContent || "").replace(/\s+/g, " ").trim();
    return text.length > own.length + 10;
  }

  // WCAG 1.4.10: nothing in a widget wider than the viewport, no sideways scroll.
  function overflow() {
    const width = document.documentElement.clientWidth;
    const found = [];
    for (const root of roots()) {
      for (const el of [root, ...root.querySelectorAll("*")]) {
        if (!rendered(el) || isVisuallyHidden(el)) continue;
        if (found.some((f) => f.el.contains(el))) continue;
        const rect = el.getBoundingClientRect();
        const scrolls = /auto|scroll/.test(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1;
        if (rect.right > width + 1 || rect.left < -1 || scrolls) {
          found.push({ el, report: describe(el, { width: Math.round(rect.width), viewport: width, scrolls }) });
        }
      }
    }
    const framed = window.parent !== window && roots().length > 0;
    const page = framed && document.documentElement.scrollWidth > width + 1;
    return { elements: found.map((f) => f.report), documentScrolls: page };
  }

  function isVisuallyHidden(el) {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return (rect.width <= 1 && rect.height <= 1) || /rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(style.clip) ||
      style.clipPath === "inset(50%)";
  }

  function textElements() {
    return inWidgets("*").filter((el) =>
      rendered(el) && !isVisuallyHidden(el) &&
      Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())
    );
  }

  function fontSizes() {
    const sizes = {};
    for (const el of textElements()) sizes[path(el)] = parseFloat(getComputedStyle(el).fontSize);
    return sizes;
  }

  // Text cut off: a box that hides overflow but holds more than it shows.
  function clipped() {
    const found = [];
    for (const el of inWidgets("*")) {
      if (!rendered(el) || isVisuallyHidden(el) || el.tagName === "TEXTAREA" || el.tagName === "SELECT") continue;
      const style = getComputedStyle(el);
      const hidesX = !/visible/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const hidesY = /hidden|clip/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if ((hidesX || hidesY) && (el.textContent || "").trim()) {
        found.push(describe(el, { scroll: `${el.scrollWidth}×${el.scrollHeight}`, box: `${el.clientWidth}×${el.clientHeight}` }));
      }
    }
    return found;
  }

  function addStyle(css) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    styles.push(sheet);
  }

  function removeStyles() {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !styles.includes(s));
    styles.length = 0;
  }

  function seconds(list) {
    return Math.max(0, ...list.split(",").map((t) => parseFloat(t) * (/ms/.test(t) ? 0.001 : 1)));
  }

  // With prefers-reduced-motion: reduce, nothing in a widget moves.
  function moving() {
    return inWidgets("*")
      .filter((el) => {
        const style = getComputedStyle(el);
        const animated = style.animationName !== "none" && seconds(style.animationDuration) > 0.01;
        return animated || seconds(style.transitionDuration) > 0.01;
      })
      .map((el) => describe(el));
  }

  // WCAG 3.1.2: every text in a widget has a lang on an ancestor inside the
  // widget, and that language is written in the script the text uses.
  function languages() {
    const found = [];
    const seen = new Set();
    for (const root of roots()) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const parent = node.parentElement;
        if (!text || !parent || parent.closest("script, style, template") || seen.has(parent)) continue;
        const marked = parent.closest("[lang]");
        let problem = null;
        if (!marked || !root.contains(marked)) {
          problem = { kind: "missing", lang: marked ? marked.getAttribute("lang") : null };
        } else if (!marked.getAttribute("lang").trim()) {
          problem = { kind: "empty", lang: "" };
        } else {
          const lang = marked.getAttribute("lang");
          const script = SCRIPTS[lang.toLowerCase().split("-")[0]] || LATIN;
          // Addresses and acronyms (URL, TTY) are in no language; a proper name
          // beside native words is allowed (WCAG 3.1.2), a whole foreign text is not.
          const words = text.split(/\s+/).filter((w) => !/[./@:]\p{L}/u.test(w));
          const letters = Array.from(words.join(" ").replace(/\b\p{Lu}{2,}\b/gu, ""))
            .filter((c) => /\p{L}/u.test(c));
          const native = letters.filter((c) => script.test(c)).length;
          if (letters.length >= 12 && native / letters.length < 0.15) problem = { kind: "script", lang };
        }
        if (problem) {
          seen.add(parent);
          found.push(describe(parent, problem));
        }
      }
    }
    return found;
  }

  function duplicateIds() {
    const count = {};
    for (const el of document.querySelectorAll("[id]")) count[el.id] = (count[el.id] || 0) + 1;
    const found = [];
    for (const root of roots()) {
      for (const el of [root, ...root.querySelectorAll("[id]")]) {
        if (el.id && count[el.id] > 1 && !found.some((f) => f.id === el.id)) {
          found.push(describe(el, { id: el.id, count: count[el.id] }));
        }
      }
    }
    return found;
  }

  const LANDMARK_ROLES = ["region", "navigation", "complementary", "form", "search", "main", "banner", "contentinfo"];
  const IMPLICIT = { SECTION: "region", NAV: "navigation", ASIDE: "complementary", FORM: "form", MAIN: "main", SEARCH: "search" };

  function accessibleName(el) {
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    if (ids.length) {
      return ids.map((id) => document.getElementById(id)).filter(Boolean)
        .map((n) => n.textContent).join(" ").replace(/\s+/g, " ").trim();
    }
    return (el.getAttribute("aria-label") || el.getAttribute("title") || "").replace(/\s+/g, " ").trim();
  }

  function landmarks() {
    const found = [];
    for (const el of inWidgets("*")) {
      if (!rendered(el) || hiddenFromEveryone(el)) continue;
      const role = el.getAttribute("role") || IMPLICIT[el.tagName];
      if (!LANDMARK_ROLES.includes(role)) continue;
      const name = accessibleName(el);
      // A section or form without a name is not a landmark at all.
      if (!el.getAttribute("role") && (role === "region" || role === "form") && !name) continue;
      found.push(describe(el, { role, name }));
    }
    return found;
  }

  function widgets() {
    return roots().map((el) => describe(el, {
      lang: el.getAttribute("lang"),
      dir: el.getAttribute("dir"),
      name: el.getAttribute("data-widget"),
      // Swapped in by htmx: a placeholder around it asked for it.
      htmx: !!(el.parentElement && el.parentElement.closest("[hx-get], [data-hx-get]")),
    }));
  }

  // Tab from the top of the document, whatever had focus before (a swap may
  // have moved it into a widget): a script-focused placeholder that Tab leaves.
  function focusStart() {
    for (const el of [document.activeElement]) if (el && el.blur) el.blur();
    const start = document.createElement("span");
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    start.addEventListener("blur", () => start.remove());
  }

  window.__cwAudit = {
    focusStart,
    widgets, controls, unreachable, focused, focusEach, reordered, targets, overflow,
    fontSizes, clipped, addStyle, removeStyles, moving, languages, duplicateIds, landmarks, path,
  };
})();
