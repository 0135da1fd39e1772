/* Care Widgets embed builder: copy buttons. Without this file the code is
 * still there to select and copy. The result is announced in a status region. */
(function () {
  "use strict";
  function say(button, key) {
    var status = document.getElementById(button.getAttribute("data-status"));
    // Cleared first, so the same message twice is announced twice.
    status.textContent = "";
    setTimeout(function () { status.textContent = button.getAttribute(key); }, 50);
  }

  function selectCode(code) {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var code = document.getElementById(button.getAttribute("data-copy"));
    button.hidden = false;
    button.addEventListener("click", function () {
      var copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(code.textContent)
        : Promise.reject(new Error("no clipboard"));
      copied.then(function () { say(button, "data-done"); }, function () {
        selectCode(code);
        say(button, "data-failed");
      });
    });
  });
})();
