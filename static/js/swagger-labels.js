/* Swagger UI draws its server picker as a <select> whose <label> holds no text (axe: select-name). Name it
   whenever Swagger UI (re)draws it; the page works the same without this script. */
(function () {
  "use strict";
  new MutationObserver(function () {
    var select = document.getElementById("servers");
    if (select && !select.hasAttribute("aria-label")) { select.setAttribute("aria-label", "Server"); }
  }).observe(document.body, { childList: true, subtree: true });
})();
