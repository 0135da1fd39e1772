/* Care Widgets, optional enhancement (README, "Embed"). */
(function () {
  "use strict";
  var PAUSE_MS = 1200;
  var timers = new WeakMap();

  function countText(box, count) {
    var left = Number(box.getAttribute("data-cw-limit")) - count;
    var output = document.getElementById(box.getAttribute("data-cw-count"));
    if (!output) return null;
    var over = left < 0;
    var templates = JSON.parse(output.getAttribute(over ? "data-cw-over" : "data-cw-left"));
    var number = Math.abs(left);
    var category = new Intl.PluralRules(box.closest("[lang]").lang).select(number);
    var template = templates[category] || templates.other;
    return { text: template.replace("{count}", number.toLocaleString(box.closest("[lang]").lang)), over: over };
  }

  function update(box, announce) {
    // As the server counts (an emoji is one).
    var result = countText(box, Array.from(box.value).length);
    if (!result) return;
    var output = document.getElementById(box.getAttribute("data-cw-count"));
    output.textContent = result.text;
    output.classList.toggle("cw-count--over", result.over);
    // The server's error says it once, until an edit.
    var error = box.closest(".cw-field--error");
    output.hidden = !!error;
    if (result.over) {
      box.setAttribute("aria-invalid", "true");
    } else if (!error) {
      box.removeAttribute("aria-invalid");
    }
    if (announce) {
      var live = document.getElementById(box.getAttribute("data-cw-count-live"));
      if (live) live.textContent = result.text;
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

  function widgetOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest('[data-widget="feedback-form"]') : null;
  }

  // htmx 2 leaves 4xx/5xx unswapped; ours are forms to show again.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (widgetOf(event) && status >= 400 && status < 600) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a language switch, focus the chosen language.
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
  document.addEventListener("htmx:afterSettle", afterLanguageSwap);
  document.addEventListener("htmx:after:settle", afterLanguageSwap);

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
  document.addEventListener("htmx:afterSettle", afterSwap);
  document.addEventListener("htmx:after:settle", afterSwap);

  // One address, the same ids (cacheable): later copies get fresh ones, as groups.
  var UID = /cw-[0-9a-f]{8}/;
  function all(root) {
    return [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
  }
  function uid(root) {
    var found = UID.exec(root.getAttribute("aria-labelledby") || root.innerHTML);
    return found && found[0];
  }
  function unique(root) {
    var old = uid(root);
    if (old) all(document.body).filter(function (el) {
      return el.matches("[data-widget]") && uid(el) === old;
    }).slice(1).forEach(function (copy) {
      var fresh = "cw-" + (Math.random().toString(16) + "00000000").slice(2, 10);
      if (copy.tagName === "SECTION") {
        copy.setAttribute("role", "group");
        copy.removeAttribute("aria-labelledby");
      }
      all(copy).forEach(function (el) {
        for (var i = 0; i < el.attributes.length; i++) {
          var value = el.attributes[i].value;
          if (value.indexOf(old) >= 0) el.setAttribute(el.attributes[i].name, value.split(old).join(fresh));
        }
      });
    });
  }
  function arrived(node) {
    if (node.querySelectorAll) all(node).filter(function (el) { return el.matches("[data-widget]"); }).forEach(unique);
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
