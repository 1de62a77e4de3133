/* Progressive enhancement only: every feature works without this file. */
(function () {
  "use strict";

  // On a phone the filters start folded so the results come first.
  var panel = document.querySelector(".facet-panel");
  if (panel && window.matchMedia("(max-width: 860px)").matches) {
    panel.open = false;
  }

  document.documentElement.className += " js";

  // Choosing a page size applies it at once (the form's button does it without script).
  var select = document.querySelector("select[data-autosubmit]");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  // Typing in the issuer search hides the issuers that do not contain the text.
  var filter = document.querySelector("input[data-filters]");
  if (filter) {
    var list = document.querySelector(filter.getAttribute("data-filters"));
    filter.addEventListener("input", function () {
      var text = filter.value.trim();
      if (!list) { return; }
      Array.prototype.forEach.call(list.children, function (item) {
        var label = item.querySelector(".facet-label");
        var shown = !text || (label && label.textContent.indexOf(text) !== -1);
        item.classList.toggle("is-hidden", !shown);
      });
    });
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
