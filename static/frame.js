/* Care Widgets: the widget's side of iframe auto-height.
 *
 * When framed by a page with embed.js, the host says hello; we check who it
 * is (the parent, and for a partner one of its origins), then report our
 * height to that origin alone as it changes. Until then the frame keeps its
 * default height and scrolls.
 */
(function () {
  "use strict";
  if (window.parent === window) return;
  var parentOrigin = null, widget;
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
    if (event.data.copy && (widget = document.querySelector("section[data-widget]"))) {
      widget.setAttribute("role", "group");
      widget.removeAttribute("aria-labelledby");
    }
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
