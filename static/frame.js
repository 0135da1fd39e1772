/* Care Widgets: the widget's side of iframe auto-height.
 *
 * Loaded by every widget document. When the page is framed and the host page
 * includes embed.js, the host says hello; we check who it is (the parent
 * window, and for a partner one of the partner's origins), then report the
 * document's height to that origin alone whenever it changes. Until then the
 * frame keeps its default height and scrolls as usual.
 */
(function () {
  "use strict";
  if (window.parent === window) return;
  var parentOrigin = null;
  var lastHeight = 0;
  var allowed = (document.body.getAttribute("data-cw-parent-origins") || "").split(" ").filter(Boolean);

  function report() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (!parentOrigin || height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({ careWidgets: "height", height: height }, parentOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.careWidgets !== "hello") return;
    if (allowed.length && allowed.indexOf(event.origin) < 0) return;
    parentOrigin = event.origin;
    lastHeight = 0;
    // The host sizes the frame to fit: no scrollbar, not even a 1 px one.
    document.documentElement.classList.add("cw-autoheight");
    report();
  });
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
  // Say we are here (nothing secret: no height until the host is known), and
  // again a few times, for a host whose embed.js starts after our load.
  var delay = 250;
  (function ready() {
    if (parentOrigin || delay > 4000) return;
    window.parent.postMessage({ careWidgets: "ready" }, "*");
    setTimeout(ready, (delay *= 2));
  })();
})();
