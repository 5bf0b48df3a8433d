/* Handouts: a print button on pages that have one, and the permanent address in the
 * footer every printed page carries (the published address when the page has a
 * canonical link, else the address it was opened at). */
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  var address = canonical && !/example\.(org|com)/.test(canonical.href) ? canonical.href : window.location.href;
  document.querySelectorAll(".print-url").forEach(function (span) { span.textContent = address; });
  var footer = document.querySelector(".print-footer");
  if (footer) {
    /* every printed page's foot: the reading and the permanent address (a CSS string) */
    var words = footer.textContent.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\s+/g, " ").trim();
    var rule = document.createElement("style");
    rule.textContent = '@page { @bottom-left { content: "' + words + '"; font-size: 8pt; color: #444; } }';
    document.head.appendChild(rule);
  }
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
