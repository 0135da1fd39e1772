/* Care Widgets, optional enhancement (README, "Embed"). */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };

  // 1. The comment's count: characters left, said after a pause.
  var PAUSE_MS = 1200;
  var timers = new WeakMap();

  function update(box, announce) {
    var output = $(box.getAttribute("data-cw-count"));
    if (!output) return;
    // As the server counts (an emoji is one).
    var left = Number(box.getAttribute("data-cw-limit")) - Array.from(box.value).length;
    var over = left < 0;
    var templates = JSON.parse(output.getAttribute(over ? "data-cw-over" : "data-cw-left"));
    var number = Math.abs(left), lang = box.closest("[lang]").lang;
    var text = (templates[new Intl.PluralRules(lang).select(number)] || templates.other).replace("{count}", number.toLocaleString(lang));
    output.textContent = text;
    output.classList.toggle("cw-count--over", over);
    // The server's error says it once, until an edit.
    var error = box.closest(".cw-field--error");
    output.hidden = !!error;
    if (over) {
      box.setAttribute("aria-invalid", "true");
    } else if (!error) {
      box.removeAttribute("aria-invalid");
    }
    if (announce) {
      var live = $(box.getAttribute("data-cw-count-live"));
      if (live) live.textContent = text;
    }
  }

  function setUp(root) {
    var boxes = root.querySelectorAll("textarea[data-cw-limit]");
    for (var i = 0; i < boxes.length; i++) update(boxes[i], false);
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-cw-limit]")) return;
    var field = box.closest(".cw-field--error"), error = field && field.querySelector(".cw-error-message");
    if (error) {
      field.classList.remove("cw-field--error");
      error.hidden = true;
      box.setAttribute("aria-describedby", box.getAttribute("aria-describedby").replace(error.id, "").trim());
    }
    update(box, false);
    // Announced after a pause, not per key.
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(function () { update(box, true); }, PAUSE_MS));
  });

  // 2. Errors: htmx 2 leaves 4xx/5xx unswapped; ours are forms to show again.
  function widgetOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest('[data-widget="feedback-form"]') : null;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (widgetOf(event) && status >= 400 && status < 600) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // 3. Focus after a swap: the chosen language, or the form's next step.
  var switching = false;
  document.addEventListener("click", function (event) {
    switching = !!(event.target.closest && event.target.closest(".cw-switcher__link"));
  });

  function afterLanguageSwap(event) {
    if (!switching) return;
    var root = event.target;
    var current = root && root.querySelector ? root.querySelector('.cw-switcher__link[aria-current="true"]') : null;
    if (!current) current = document.querySelector('.cw-switcher__link[aria-current="true"]:not(:focus)');
    if (current) {
      switching = false;
      current.focus();
    }
  }

  function afterSwap(event) {
    var widget = widgetOf(event);
    if (!widget) return;
    setUp(widget);
    // Focus the next step (not the status: it would be heard twice).
    var order = ['[aria-invalid="true"]', ".cw-error-message", "textarea", ".cw-feedback__body p"];
    var next = null;
    for (var i = 0; i < order.length && !next; i++) next = widget.querySelector(order[i]);
    if (next) {
      if (!next.matches("textarea, button, a")) next.setAttribute("tabindex", "-1");
      next.focus();
    }
  }
  ["htmx:afterSettle", "htmx:after:settle"].forEach(function (name) {
    document.addEventListener(name, afterLanguageSwap);
    document.addEventListener(name, afterSwap);
  });

  // 4. Copies: one address, the same ids (cacheable); later copies get fresh ones, as
  // groups. Only widgets are looked at, never each element of the host page.
  var UID = /cw-[0-9a-f]{8}/, WIDGET = "[data-widget]";
  function uid(root) {
    var found = UID.exec(root.getAttribute("aria-labelledby") || root.innerHTML);
    return found && found[0];
  }
  function unique(root) {
    var old = uid(root);
    if (old) [].filter.call(document.querySelectorAll(WIDGET), function (el) {
      return uid(el) === old;
    }).slice(1).forEach(function (copy) {
      var fresh = "cw-" + (Math.random().toString(16) + "00000000").slice(2, 10);
      if (copy.tagName === "SECTION") {
        copy.setAttribute("role", "group");
        copy.removeAttribute("aria-labelledby");
      }
      [copy].concat([].slice.call(copy.querySelectorAll("*"))).forEach(function (el) {
        for (var i = 0; i < el.attributes.length; i++) {
          var value = el.attributes[i].value;
          if (value.indexOf(old) >= 0) el.setAttribute(el.attributes[i].name, value.split(old).join(fresh));
        }
      });
    });
  }
  function arrived(node) {
    if (!node.querySelectorAll) return;
    if (node.matches(WIDGET)) unique(node);
    [].forEach.call(node.querySelectorAll(WIDGET), unique);
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) { record.addedNodes.forEach(arrived); });
  }).observe(document.documentElement, { childList: true, subtree: true });

  function start() {
    arrived(document.documentElement);
    setUp(document);
    // In a frame (browsers refuse autofocus there) focus the next step here.
    var next = document.querySelector("[data-cw-autofocus]");
    if (next && document.activeElement !== next) next.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
