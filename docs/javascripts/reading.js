/* Copy-link buttons beside paragraph numbers.
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

  /* The link to share: the address in the browser, or the canonical address
   * when the page was opened from a file (the offline copy). */
  function paragraphUrl(anchor) {
    var base = window.location.href;
    var canonical = document.querySelector('link[rel="canonical"]');
    if (window.location.protocol === "file:" && canonical) {
      base = canonical.href;
    }
    var url = new URL(base);
    url.hash = anchor;
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
    var button = event.target.closest && event.target.closest(".para-copy");
    if (!button) { return; }
    var anchor = button.getAttribute("data-anchor");
    var url = paragraphUrl(anchor);
    var number = anchor.replace(/^p/, "");
    copy(url).then(function (copied) {
      button.setAttribute("data-copied", copied ? "true" : "false");
      announce(copied ? "Link to paragraph " + number + " copied: " + url
                      : "Copy this link to paragraph " + number + ": " + url);
    });
  });
})();
