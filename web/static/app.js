/* Progressive enhancement only: every feature works without this file. */
(function () {
  "use strict";

  // On a phone the filters start folded so the results come first.
  var panel = document.querySelector(".facet-panel");
  if (panel && window.matchMedia("(max-width: 860px)").matches) {
    panel.open = false;
  }

  // "/" jumps to the search box, as on most search sites.
  var input = document.querySelector(".search-input");
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                            target.isContentEditable);
    if (event.key === "/" && input && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
