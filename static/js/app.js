/* Progressive enhancements shared by every page. Pages work without it; it adds hint reveal, copy
   buttons, confirmations and the report's wait for feedback. No inline handlers anywhere (CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) { if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); } }

  ready(function () {
    /* Hints, one at a time. */
    document.querySelectorAll("[data-hints]").forEach(function (box) {
      var button = box.querySelector("[data-reveal-hint]");
      var counter = box.querySelector("[data-hint-count]");
      var hints = box.querySelectorAll("li");
      var shown = 0;
      button.addEventListener("click", function () {
        if (shown < hints.length) { hints[shown].removeAttribute("data-hidden"); shown += 1; }
        counter.textContent = "(" + shown + "/" + hints.length + ")";
        if (shown >= hints.length) { button.disabled = true; }
      });
    });

    /* Forms that ask first. */
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });

    /* Copy buttons. */
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.copy);
        input.select();
        var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
        if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, done); } else { document.execCommand("copy"); done(); }
      });
    });

    /* Code and tables wider than the screen scroll sideways in their box: keyboard users need to reach it. */
    document.querySelectorAll("pre, .example, .table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) { box.tabIndex = 0; }
    });

    /* A report whose feedback is still being written reloads until it is ready. */
    if (document.querySelector("[data-feedback-pending]")) { setTimeout(function () { location.reload(); }, 3000); }
  });
})();
