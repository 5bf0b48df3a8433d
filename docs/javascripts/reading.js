/* Copy buttons: links beside paragraph numbers, and citations.
 * Served from this site (no other host), and written for event delegation,
 * so it works on every page load and needs no framework. */
(function () {
  "use strict";

  function status() {
    var region = document.getElementById("reading-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "reading-status";
      region.className = "reading-status";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(message) {
    var region = status();
    region.textContent = message;
    region.classList.add("reading-status--visible");
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () {
      region.classList.remove("reading-status--visible");
    }, 2500);
  }

  /* The link to share: the paragraph's number links to it (on its own page or
   * in the reading). Opened from a file (the offline copy), the link is shared
   * at its published address instead. */
  function paragraphUrl(button) {
    var link = button.parentElement.querySelector(".para-num");
    var url = new URL(link ? link.href : window.location.href);
    var canonical = document.querySelector('link[rel="canonical"]');
    if (url.protocol === "file:" && canonical && link) {
      /* Resolve the link against this page's published address; the offline
       * copy's pages are "x.html", the published site's are "x/". */
      var shared = new URL(link.getAttribute("href"), canonical.href);
      shared.pathname = shared.pathname.replace(/index\.html$/, "").replace(/\.html$/, "/");
      return shared.toString();
    }
    return url.toString();
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return fallbackCopy(text); });
    }
    return Promise.resolve(fallbackCopy(text));
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var button = event.target.closest(".para-copy");
    if (button) {
      var url = paragraphUrl(button);
      var number = button.getAttribute("data-anchor").replace(/^p/, "");
      copy(url).then(function (copied) {
        button.setAttribute("data-copied", copied ? "true" : "false");
        announce(copied ? "Link to paragraph " + number + " copied: " + url
                        : "Copy this link to paragraph " + number + ": " + url);
      });
      return;
    }
    var text = event.target.closest(".copy-text");
    if (text) {
      var value = text.getAttribute("data-copy");
      copy(value).then(function (copied) {
        announce(copied ? "Copied: " + value : "Copy this text: " + value);
      });
    }
  });

  /* Material's search dialog has no accessible name of its own. */
  var search = document.querySelector(".md-search");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }

  /* Term definitions (Material's tooltips) for touch and keyboard users:
   * - on a touch screen the first tap on a term shows its definition and the
   *   second tap follows the link;
   * - Escape dismisses a definition without moving focus or the pointer. */
  var lastPointer = "mouse";
  var armed = null;

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
  }, true);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.term-link");
    if (!link || lastPointer !== "touch") { return; }
    if (armed === link) { armed = null; return; }
    event.preventDefault();
    armed = link;
    document.body.classList.remove("tooltips-dismissed");
    link.focus();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      document.body.classList.add("tooltips-dismissed");
      armed = null;
    }
  });

  function undismiss() {
    document.body.classList.remove("tooltips-dismissed");
  }
  document.addEventListener("focusin", undismiss);
  document.addEventListener("mouseover", function (event) {
    if (event.target.closest && event.target.closest("a.term-link")) { undismiss(); }
  });
})();
