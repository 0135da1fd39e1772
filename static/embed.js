/* Care Widgets: each <iframe data-cw-autoheight> takes its widget's height.
 * Messages count only from that frame's window and its src's origin. */
(function () {
  "use strict";
  var MAX = 20000;

  function origin(frame) {
    try {
      return new URL(frame.src, location.href).origin;
    } catch (error) {
      return null;
    }
  }

  function hello(frame) {
    var target = origin(frame), all = document.querySelectorAll("iframe[data-cw-autoheight]"), copy = false;
    // A later frame of one address is a copy: a group, not a landmark.
    for (var i = 0; all[i] && all[i] !== frame; i++) copy = copy || all[i].src === frame.src;
    if (target && frame.contentWindow) frame.contentWindow.postMessage({ careWidgets: "hello", copy: copy }, target);
  }

  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-cw-autoheight]");
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }

  function watch(frame) {
    if (frame.cwWatched) return;
    frame.cwWatched = true;
    // Each load (a form sent in it too) is a new document; one before us hears now.
    frame.addEventListener("load", function () { hello(frame); });
    hello(frame);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    var frame = data && typeof data.careWidgets === "string" ? frameOf(event.source) : null;
    if (!frame || event.origin !== origin(frame)) return;
    if (data.careWidgets === "ready") {
      hello(frame);
    } else if (data.careWidgets === "height") {
      var height = Number(data.height);
      if (!(height > 0 && height < MAX)) return;
      // CSSOM, not a style attribute: allowed under a strict CSP.
      frame.style.height = Math.ceil(height) + "px";
    }
  });

  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll("iframe[data-cw-autoheight]"), watch);
  }
  scan();
  // Frames that arrive later (a host page that builds them with its own code).
  if (window.MutationObserver) new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
