/* Reading pages: copy-link controls, citation copy buttons and term previews.
 * Served from this site (no other host), no framework, no fetch (works from file://),
 * loaded with defer; event delegation, so it works on every page. */
(function () {
  "use strict";
  var doc = document;

  /* -- announcements: screen readers hear them; the visible confirmation is on the button -- */

  function announce(message) {
    var region = doc.getElementById("reading-status");
    if (!region) {
      region = doc.createElement("div");
      region.id = "reading-status";
      region.className = "reading-status";
      region.setAttribute("role", "status");
      doc.body.appendChild(region);
    }
    region.textContent = message;
  }

  function confirmCopied(button) {
    button.setAttribute("data-copied", "true");
    window.clearTimeout(button.copiedTimer);
    button.copiedTimer = window.setTimeout(function () {
      button.removeAttribute("data-copied");
    }, 2000);
  }

  /* -- copy-link: the address to share -- */

  /* A site_url nobody can visit (the shipped example.org placeholder, localhost) is never
   * handed out: copy-link then gives the page's own address. */
  var PLACEHOLDER = /(^|\.)(example\.(org|com|net)|example|invalid|test|localhost)$|^127\.|^\[::1\]$/i;

  function publishedAddress() {
    var canonical = doc.querySelector('link[rel="canonical"]');
    if (!canonical) { return null; }
    var url;
    try { url = new URL(canonical.href); } catch (error) { return null; }
    return /^https?:$/.test(url.protocol) && !PLACEHOLDER.test(url.hostname) ? url : null;
  }

  /* The paragraph's number links to it (on its own page or in the reading). Opened from
   * a file (the offline copy), the link is shared at its published address when the site
   * has a real one; the offline copy's pages are "x.html", the published site's "x/". */
  function paragraphUrl(button) {
    var link = button.parentElement.querySelector(".para-num");
    var href = link ? link.getAttribute("href") : "#" + button.getAttribute("data-anchor");
    var own = new URL(href, window.location.href);
    var published = own.protocol === "file:" ? publishedAddress() : null;
    if (!published) { return own.href; }
    var shared = new URL(href, published.href);
    shared.pathname = shared.pathname.replace(/index\.html$/, "").replace(/\.html$/, "/");
    return shared.href;
  }

  function fallbackCopy(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    doc.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = doc.execCommand("copy"); } catch (error) { copied = false; }
    doc.body.removeChild(area);
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

  function copied(button, ok, what, value) {
    if (ok) {
      confirmCopied(button);
      announce(what + " copied: " + value);
    } else {
      announce("Copy " + what.toLowerCase() + ": " + value);
      window.prompt("Copy " + what.toLowerCase() + ":", value);
    }
  }

  /* One tab stop per paragraph: with this script the copy button is it (the number
   * stays a link for the pointer); without it, the number. */
  function enhanceParagraphs() {
    var buttons = doc.querySelectorAll(".para-copy[hidden]");
    for (var i = 0; i < buttons.length; i++) {
      var number = buttons[i].parentElement.querySelector(".para-num");
      if (number) { number.setAttribute("tabindex", "-1"); }
      buttons[i].hidden = false;
    }
  }

  /* -- the paragraph menu (ARIA menu button): copy its link, or cite it --
   * One menu for the page, opened under the button that asked; arrows, Home and End move,
   * Escape closes and gives focus back, Tab closes and moves on. Citations come from the
   * page's script#paragraph-citations data ("{n}" is the paragraph's number). */
  var menu = null;
  var menuButton = null;
  var citationData;

  function citationsOf() {
    if (citationData === undefined) {
      var source = doc.getElementById("paragraph-citations");
      try { citationData = source ? JSON.parse(source.textContent) : null; } catch (e) { citationData = null; }
    }
    return citationData;
  }

  function menuItem(label, action) {
    var item = doc.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.tabIndex = -1;
    item.textContent = label;
    item.paraAction = action;
    menu.appendChild(item);
  }

  function openMenu(button) {
    if (!menu) {
      menu = doc.createElement("div");
      menu.className = "para-menu";
      menu.setAttribute("role", "menu");
      doc.body.appendChild(menu);
    }
    closeMenu(false);
    var number = button.getAttribute("data-anchor").replace(/^p/, "");
    menu.textContent = "";
    menu.setAttribute("aria-label", "Paragraph " + number);
    menuItem("Copy link to \u00b6" + number, function () {
      var url = paragraphUrl(button);
      copy(url).then(function (ok) { copied(button, ok, "Link to paragraph " + number, url); });
    });
    var styles = citationsOf() || {};
    Object.keys(styles).forEach(function (style) {
      menuItem("Cite \u00b6" + number + " (" + style + ")", function () {
        var value = styles[style].map(function (line) {
          return line[0] + ": " + line[1].split("{n}").join(number);
        }).join("\n");
        copy(value).then(function (ok) { copied(button, ok, style + " citation of paragraph " + number, value); });
      });
    });
    menuButton = button;
    button.setAttribute("aria-expanded", "true");
    menu.hidden = false;
    var box = button.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left, doc.documentElement.clientWidth - menu.offsetWidth - 8));
    menu.style.left = Math.round(left + window.pageXOffset) + "px";
    menu.style.top = Math.round(box.bottom + 4 + window.pageYOffset) + "px";
    menu.firstChild.focus();
  }

  function closeMenu(refocus) {
    if (!menuButton) { return; }
    menuButton.setAttribute("aria-expanded", "false");
    menu.hidden = true;
    if (refocus) { menuButton.focus(); }
    menuButton = null;
  }

  doc.addEventListener("keydown", function (event) {
    if (!menuButton || !menu.contains(event.target)) { return; }
    var items = Array.prototype.slice.call(menu.children);
    var at = items.indexOf(event.target);
    var next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      items[(next + items.length) % items.length].focus();
    } else if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      closeMenu(true);
    } else if (event.key === "Tab") {
      var button = menuButton;
      closeMenu(false);
      button.focus();  // Tab then moves on from the paragraph, as if the menu were not there
    }
  });
  doc.addEventListener("pointerdown", function (event) {
    if (menuButton && !menu.contains(event.target) && !menuButton.contains(event.target)) { closeMenu(false); }
  }, true);

  doc.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var item = menu && menuButton ? event.target.closest(".para-menu [role=menuitem]") : null;
    if (item) {
      var action = item.paraAction;
      closeMenu(true);
      action();
      return;
    }
    var button = event.target.closest(".para-copy");
    if (button) {
      if (menuButton === button) { closeMenu(true); } else { openMenu(button); }
      return;
    }
    var text = event.target.closest(".copy-text");
    if (text) {
      var value = text.getAttribute("data-copy");
      copy(value).then(function (ok) { copied(text, ok, "Citation", value); });
    }
  });

  /* Material's search dialog has no accessible name of its own. */
  var search = doc.querySelector(".md-search");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "Search");
  }

  /* -- term previews (WCAG 2.2 SC 1.4.13) --
   * Hover (after a short pause), keyboard focus or a tap on a term link opens a preview of
   * the entry: name, category, short definition, the latest dated update, "Open entry".
   * It stays while the pointer is on the link or the preview, while the link has keyboard
   * focus, or, after a tap, until a tap elsewhere; Escape closes it. On touch the first tap
   * previews and a second tap on the same link (or "Open entry") opens the entry. The
   * link's description (aria-describedby) gives screen readers the definition once; the
   * preview itself is hidden from them (it repeats it) and out of the tab order. */
  var preview = null;
  var current = null;      // the link previewed
  var openedBy = "";       // "hover", "focus" or "tap"
  var showTimer = 0;
  var hideTimer = 0;
  var tapOnOpen = false;   // the pointer went down on the link already previewed
  var downAt = null;       // where it went down: a tap, not a scroll, closes the preview
  var parts = {};

  function termLink(node) {
    return node && node.closest ? node.closest("a.term-link[data-term]") : null;
  }

  function inPreview(node) {
    return !!(preview && node && preview.contains(node));
  }

  function element(tag, className, parent) {
    var node = doc.createElement(tag);
    if (className) { node.className = className; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function build() {
    preview = element("div", "term-preview md-typeset", doc.body);
    preview.id = "term-preview";
    preview.hidden = true;
    preview.setAttribute("aria-hidden", "true");
    var head = element("p", "term-preview__head", preview);
    parts.name = element("strong", "term-preview__name", head);
    head.appendChild(doc.createTextNode(" "));
    parts.category = element("span", "term-preview__category", head);
    parts.short = element("p", "term-preview__short", preview);
    parts.update = element("p", "term-preview__update", preview);
    parts.since = element("span", "term-preview__since", parts.update);
    parts.updateText = element("span", "", parts.update);
    var more = element("p", "term-preview__more", preview);
    parts.open = element("a", "term-preview__open", more);
    parts.open.textContent = "Open entry \u2192";
    parts.open.setAttribute("tabindex", "-1");
    parts.description = element("span", "", doc.body);
    parts.description.id = "term-preview-description";
    parts.description.hidden = true;
    preview.addEventListener("pointerenter", function () { window.clearTimeout(hideTimer); });
    preview.addEventListener("pointerleave", function (event) {
      if (event.pointerType === "mouse" && openedBy === "hover" && !termLink(event.relatedTarget)) { hideSoon(); }
    });
  }

  /* the previews of this page's terms: JSON in script#term-previews, written by the hooks */
  var termData = null;
  function previewOf(slug) {
    if (!termData) {
      var source = doc.getElementById("term-previews");
      try { termData = source ? JSON.parse(source.textContent) : {}; } catch (e) { termData = {}; }
    }
    return termData[slug];
  }

  function open(link, how) {
    var data = previewOf(link.getAttribute("data-term"));
    window.clearTimeout(showTimer);
    window.clearTimeout(hideTimer);
    if (!data) { return false; }
    if (!preview) { build(); }
    if (current && current !== link) { current.removeAttribute("aria-describedby"); }
    parts.name.textContent = data.name;
    parts.category.textContent = data.category;
    parts.short.textContent = data.short;
    parts.update.hidden = !data.update;
    parts.since.textContent = data.update ? "Since the article (" + data.update.shown + "): " : "";
    parts.updateText.textContent = data.update ? data.update.text : "";
    parts.open.href = link.href;
    parts.description.textContent = "Glossary entry: " + data.name + " (" + data.category + "). " + data.short;
    link.setAttribute("aria-describedby", parts.description.id);
    current = link;
    openedBy = how;
    preview.hidden = false;
    place(link);
    return true;
  }

  function close() {
    window.clearTimeout(showTimer);
    window.clearTimeout(hideTimer);
    if (!current) { return; }
    current.removeAttribute("aria-describedby");
    current = null;
    openedBy = "";
    preview.hidden = true;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(close, 300);
  }

  /* Below the link (above it when there is no room below), inside the viewport. */
  function place(link) {
    var rects = link.getClientRects();
    var box = rects.length ? rects[rects.length - 1] : link.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var margin = 8;
    var gap = 4;
    preview.style.left = "0px";
    preview.style.top = "0px";
    var w = preview.offsetWidth;
    var h = preview.offsetHeight;
    var left = Math.max(margin, Math.min(box.left, width - w - margin));
    var top = box.bottom + gap;
    var header = doc.querySelector(".md-header");
    var ceiling = header ? header.getBoundingClientRect().bottom : 0;
    if (top + h > window.innerHeight - margin && (rects.length ? rects[0].top : box.top) - gap - h >= ceiling) {
      top = (rects.length ? rects[0].top : box.top) - gap - h;
    }
    preview.style.left = Math.round(left + window.pageXOffset) + "px";
    preview.style.top = Math.round(top + window.pageYOffset) + "px";
  }

  doc.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") { return; }
    var link = termLink(event.target);
    if (!link) { return; }
    window.clearTimeout(hideTimer);
    if (link !== current) {
      window.clearTimeout(showTimer);
      showTimer = window.setTimeout(function () { open(link, "hover"); }, 150);
    }
  });

  doc.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse") { return; }
    var link = termLink(event.target);
    if (!link || link.contains(event.relatedTarget)) { return; }
    window.clearTimeout(showTimer);
    if (link === current && openedBy === "hover" && !inPreview(event.relatedTarget)) { hideSoon(); }
  });

  doc.addEventListener("focusin", function (event) {
    var link = termLink(event.target);
    if (link && link !== current && link.matches(":focus-visible")) { open(link, "focus"); }
  });

  doc.addEventListener("focusout", function (event) {
    if (current && event.target === current && openedBy === "focus" && !inPreview(event.relatedTarget)) {
      close();
    }
  });

  doc.addEventListener("pointerdown", function (event) {
    tapOnOpen = !!current && termLink(event.target) === current;
    downAt = [event.clientX, event.clientY];
  }, true);

  /* A tap or click elsewhere closes the preview; a drag (scrolling) does not. */
  doc.addEventListener("pointerup", function (event) {
    var still = downAt && Math.abs(event.clientX - downAt[0]) < 10 && Math.abs(event.clientY - downAt[1]) < 10;
    if (current && still && !inPreview(event.target) && termLink(event.target) !== current) { close(); }
  }, true);

  doc.addEventListener("click", function (event) {
    var link = termLink(event.target);
    var touch = event.pointerType === "touch" || event.pointerType === "pen";
    if (!link || !touch) { return; }
    if (tapOnOpen) { tapOnOpen = false; close(); return; }  // the second tap opens the entry
    if (open(link, "tap")) { event.preventDefault(); }
  }, true);

  doc.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && current) { close(); }
  });

  window.addEventListener("resize", function () {
    if (current) { place(current); }
  });

  enhanceParagraphs();
})();
