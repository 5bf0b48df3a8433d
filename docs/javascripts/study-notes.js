/* A student's own highlights and notes, kept only in this browser (localStorage).
 * Loaded by study-boot.js on first use. Each note is keyed by reading, paragraph id
 * (p12), the passage's position in the paragraph's text and its quote, and keeps the
 * fingerprint of the paragraph's source text the build gave the page (script#study-page):
 * when the text has changed since, the note is shown as "may have moved", never
 * re-anchored. Every text is shown with textContent, never as markup.
 * On a section page: highlights as <mark>, a marker after each (the student's own tab
 * stops), a floating "Highlight / Add note" for a selection in one paragraph, and a dialog
 * for the keyboard. On "My notes": the list, export (Markdown, W3C Web Annotation JSON),
 * import, delete all, print. */
(function () {
  "use strict";
  var doc = document;
  var KEY = "reading-library.my-notes";
  var CONTEXT = "http://www.w3.org/ns/anno.jsonld";
  var me = doc.currentScript;
  var base = me ? me.src.replace(/[^\/?#]*([?#].*)?$/, "") : "";
  var study = window.readingStudy = window.readingStudy || {};

  var style = doc.createElement("link");
  style.rel = "stylesheet";
  style.href = base + "../stylesheets/study.css";
  doc.head.appendChild(style);

  /* -- storage and small helpers ------------------------------------------------------ */

  function data(id) {
    var node = doc.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : null; } catch (error) { return null; }
  }

  function stored() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(function (n) { return n && typeof n.id === "string"; }) : [];
    } catch (error) { return []; }
  }

  function store(list) {
    try {
      if (list.length) { window.localStorage.setItem(KEY, JSON.stringify(list)); } else { window.localStorage.removeItem(KEY); }
      return true;
    } catch (error) {
      announce("Your browser would not keep the note: its storage is full or turned off.");
      return false;
    }
  }

  var el = window.readingStudyDom.el;  // study-boot.js, which loads this script
  var button = window.readingStudyDom.button;

  function announce(message) {
    var region = doc.getElementById("study-status");
    if (!region) {
      region = el("div", "study-status", doc.body);
      region.id = "study-status";
      region.setAttribute("role", "status");
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return "urn:uuid:" + [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function number(para) { return para.replace(/^p/, ""); }

  function short(text, length) {
    return text.length > length ? text.slice(0, length - 1).replace(/\s+\S*$/, "") + "\u2026" : text;
  }

  /* -- a paragraph's text: white space folded, without its number, copy button and markers -- */

  var SKIP = ".para-num, .para-copy, .study-marker";

  function textMap(paragraph) {
    var walker = doc.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var text = "";
    var at = [];
    var space = true;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      for (var i = 0; i < node.data.length; i++) {
        var c = node.data[i];
        if (/\s/.test(c)) {
          if (space) { continue; }
          c = " ";
          space = true;
        } else {
          space = false;
        }
        text += c;
        at.push([node, i]);
      }
    }
    if (text.slice(-1) === " ") { text = text.slice(0, -1); at.pop(); }
    return { text: text, at: at };
  }

  /* The selected part of a paragraph as [start, end) of its text, spaces trimmed. */
  function spanOf(map, range) {
    var start = -1;
    var end = -1;
    for (var i = 0; i < map.at.length; i++) {
      var node = map.at[i][0];
      var offset = map.at[i][1];
      if (range.isPointInRange(node, offset) && range.isPointInRange(node, offset + 1)
          && !(range.endContainer === node && range.endOffset === offset)) {
        if (start < 0) { start = i; }
        end = i + 1;
      }
    }
    while (start >= 0 && start < end && map.text[start] === " ") { start++; }
    while (end > start && map.text[end - 1] === " ") { end--; }
    return start >= 0 && end > start ? [start, end] : null;
  }

  function sentences(text) {
    var found = [];
    var pattern = /[^.!?]+(?:[.!?]+["'\u201d\u2019)]*|$)/g;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var start = match.index + (match[0].length - match[0].replace(/^\s+/, "").length);
      var end = match.index + match[0].replace(/\s+$/, "").length;
      if (end > start) { found.push([start, end]); }
      if (!match[0].length) { break; }
    }
    return found;
  }

  function record(page, paragraph, span, note, whole) {
    var map = textMap(paragraph);
    var start = whole ? 0 : span[0];
    var end = whole ? map.text.length : span[1];
    var now = new Date().toISOString();
    return {
      id: uuid(), reading: page.reading, para: paragraph.id, start: start, end: end,
      exact: map.text.slice(start, end), prefix: map.text.slice(Math.max(0, start - 32), start),
      suffix: map.text.slice(end, end + 32), fp: page.fp[paragraph.id] || "", whole: !!whole,
      note: note, created: now, modified: now
    };
  }

  /* -- a section page ----------------------------------------------------------------- */

  var page = data("study-page");

  function paragraphNotes(paragraph) {
    return stored().filter(function (n) { return n.reading === page.reading && n.para === paragraph.id; })
      .sort(function (a, b) { return a.start - b.start || (a.created < b.created ? -1 : 1); });
  }

  function moved(note, map) {
    return note.fp !== page.fp[note.para] || map.text.slice(note.start, note.end) !== note.exact;
  }

  function wrap(map, start, end, id) {
    var last = null;
    var pieces = [];
    for (var i = start; i < end; i++) {
      var node = map.at[i][0];
      var piece = pieces[pieces.length - 1];
      if (piece && piece.node === node && piece.to === map.at[i][1]) { piece.to += 1; } else {
        pieces.push({ node: node, from: map.at[i][1], to: map.at[i][1] + 1 });
      }
    }
    pieces.forEach(function (piece) {
      var node = piece.node;
      if (piece.from > 0) { node = node.splitText(piece.from); }
      if (piece.to - piece.from < node.data.length) { node.splitText(piece.to - piece.from); }
      var mark = doc.createElement("mark");
      mark.className = "study-mark";
      mark.setAttribute("data-note", id);
      node.parentNode.insertBefore(mark, node);
      mark.appendChild(node);
      last = mark;
    });
    return last;
  }

  function render(paragraph) {
    Array.prototype.forEach.call(paragraph.querySelectorAll(".study-marker"), function (m) { m.remove(); });
    Array.prototype.forEach.call(paragraph.querySelectorAll("mark.study-mark"), function (mark) {
      while (mark.firstChild) { mark.parentNode.insertBefore(mark.firstChild, mark); }
      mark.remove();
    });
    paragraph.normalize();
    var printed = paragraph.nextElementSibling;
    if (printed && printed.classList.contains("study-print")) { printed.remove(); }
    var notes = paragraphNotes(paragraph);
    if (!notes.length) { return; }
    printed = el("div", "study-print");
    el("p", "study-print__title", printed, "My notes on \u00b6" + number(paragraph.id));
    notes.forEach(function (note) {
      var map = textMap(paragraph);
      var away = moved(note, map);
      var after = away || note.whole ? null : wrap(map, note.start, note.end, note.id);
      var marker = button("", "study-marker", null);
      marker.setAttribute("data-note", note.id);
      el("span", "study-marker__icon", marker, note.note ? "\u270e" : "\u2713").setAttribute("aria-hidden", "true");
      if (away) { el("span", "study-marker__moved", marker, "may have moved"); }
      var what = (note.note ? "Your note" : "Your highlight") + " on \u00b6" + number(note.para)
        + (away ? " (may have moved)" : "") + ": ";
      marker.setAttribute("aria-label", what + short(note.note || note.exact, 80));
      marker.title = (away ? "May have moved: the paragraph changed since. " : "") + (note.note || "Highlight") + " (open to edit or delete)";
      if (after) { after.parentNode.insertBefore(marker, after.nextSibling); } else { paragraph.appendChild(marker); }
      var item = el("p", "study-print__item", printed);
      if (!note.whole) { el("q", "", item, note.exact); }
      if (note.note) { item.appendChild(doc.createTextNode(note.whole ? note.note : " \u2014 " + note.note)); }
      if (away) { item.appendChild(doc.createTextNode(" (may have moved)")); }
    });
    paragraph.parentNode.insertBefore(printed, paragraph.nextSibling);
  }

  function renderAll() {
    Array.prototype.forEach.call(doc.querySelectorAll("article p.para[id]"), function (p) {
      if (page.fp[p.id]) { render(p); }
    });
  }

  /* -- the dialog: add (choose paragraph and passage) or edit a note ---------------------- */

  var dialog = null;
  var parts = {};
  var state = {};

  function buildDialog() {
    dialog = el("dialog", "study-dialog md-typeset", doc.body);
    dialog.setAttribute("aria-labelledby", "study-dialog-title");
    var form = el("form", "", dialog);
    form.method = "dialog";
    parts.title = el("h2", "", form);
    parts.title.id = "study-dialog-title";
    parts.where = el("p", "study-field", form);
    var label = el("label", "", parts.where, "Paragraph");
    label.htmlFor = "study-para";
    parts.para = el("select", "", parts.where);
    parts.para.id = "study-para";
    parts.passageRow = el("p", "study-field", form);
    label = el("label", "", parts.passageRow, "Passage");
    label.htmlFor = "study-passage";
    parts.passage = el("select", "", parts.passageRow);
    parts.passage.id = "study-passage";
    parts.quote = el("blockquote", "study-quote", form);
    parts.moved = el("p", "study-moved", form,
      "May have moved: the paragraph's text has changed since this note was made, so the passage is no longer marked.");
    var row = el("p", "study-field", form);
    label = el("label", "", row, "Your note");
    label.htmlFor = "study-text";
    parts.hint = el("span", "study-hint", row, " (leave it empty for a highlight only)");
    parts.hint.id = "study-hint";
    parts.text = el("textarea", "", row);
    parts.text.id = "study-text";
    parts.text.rows = 4;
    parts.text.setAttribute("aria-describedby", "study-hint");
    parts.error = el("p", "study-error", form);
    parts.error.id = "study-error";
    var actions = el("div", "study-actions", form);
    parts.save = el("button", "md-button md-button--primary", actions, "Save");
    parts.save.type = "submit";
    parts.remove = button("Delete", "md-button", actions);
    parts.cancel = button("Cancel", "md-button", actions);
    var all = doc.querySelector('.md-nav a[href*="my-notes"]');
    if (all) {
      var more = el("a", "study-all", actions, "All my notes");
      more.href = all.href;
    }
    parts.para.addEventListener("change", fillPassages);
    parts.cancel.addEventListener("click", function () { dialog.close(); });
    parts.remove.addEventListener("click", removeEdited);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save();
    });
    dialog.addEventListener("close", function () {
      var back = state.returnTo;
      var picked = state.selection;
      state = {};
      if (!back || !back.isConnected || back.closest("[hidden]")) {
        back = picked ? picked.paragraph.querySelector(".para-copy:not([hidden])") : null;
      }
      if (back) { back.focus(); }
    });
  }

  function paragraphs() {
    return Array.prototype.filter.call(doc.querySelectorAll("article p.para[id]"), function (p) { return page.fp[p.id]; });
  }

  function fillPassages() {
    var paragraph = doc.getElementById(parts.para.value);
    var text = textMap(paragraph).text;
    parts.passage.textContent = "";
    el("option", "", parts.passage, "Whole paragraph").value = "whole";
    if (state.selection && state.selection.paragraph === paragraph) {
      var chosen = el("option", "", parts.passage, "Your selection: \u201c" + short(text.slice(state.selection.span[0], state.selection.span[1]), 70) + "\u201d");
      chosen.value = "selection";
      chosen.selected = true;
    }
    sentences(text).forEach(function (span, index) {
      el("option", "", parts.passage, "Sentence " + (index + 1) + ": " + short(text.slice(span[0], span[1]), 70)).value = span.join("-");
    });
  }

  function showError(message) {
    parts.error.textContent = message;
    if (message) {
      parts.text.setAttribute("aria-invalid", "true");
      parts.text.setAttribute("aria-describedby", "study-hint study-error");
      parts.text.focus();
    } else {
      parts.text.removeAttribute("aria-invalid");
      parts.text.setAttribute("aria-describedby", "study-hint");
    }
  }

  /* ``options``: {selection: {paragraph, span}} or {note} to edit; ``opener`` gets focus back. */
  function openDialog(opener, options) {
    if (!dialog) { buildDialog(); }
    options = options || {};
    state = { returnTo: opener, selection: options.selection, note: options.note };
    showError("");
    var editing = options.note;
    parts.title.textContent = editing ? (editing.note ? "Your note" : "Your highlight") + " on \u00b6" + number(editing.para) : "Add a note";
    parts.where.hidden = parts.passageRow.hidden = !!editing;
    parts.remove.hidden = !editing;
    parts.quote.hidden = !editing || editing.whole;
    parts.quote.textContent = editing ? editing.exact : "";
    parts.moved.hidden = !(editing && moved(editing, textMap(doc.getElementById(editing.para))));
    parts.text.value = editing ? editing.note : "";
    if (!editing) {
      parts.para.textContent = "";
      var current = options.selection ? options.selection.paragraph : inView();
      paragraphs().forEach(function (p) {
        var option = el("option", "", parts.para, "\u00b6" + number(p.id) + ": " + short(textMap(p).text, 60));
        option.value = p.id;
        option.selected = p === current;
      });
      fillPassages();
    }
    dialog.showModal();
    (editing || options.selection ? parts.text : parts.para).focus();
  }

  /* The paragraph the reader is at: the one holding focus, else the first on screen. */
  function inView() {
    var focused = doc.activeElement && doc.activeElement.closest ? doc.activeElement.closest("p.para") : null;
    if (focused) { return focused; }
    var all = paragraphs();
    for (var i = 0; i < all.length; i++) {
      if (all[i].getBoundingClientRect().bottom > 80) { return all[i]; }
    }
    return all[0];
  }

  function save() {
    var text = parts.text.value.trim();
    var list = stored();
    if (state.note) {
      list.forEach(function (n) {
        if (n.id === state.note.id) { n.note = text; n.modified = new Date().toISOString(); }
      });
      if (store(list)) {
        var paragraph = doc.getElementById(state.note.para);
        if (paragraph) { render(paragraph); }
        state.returnTo = paragraph && paragraph.querySelector('.study-marker[data-note="' + state.note.id + '"]') || state.returnTo;
        announce("Note on \u00b6" + number(state.note.para) + " saved.");
        dialog.close();
      }
      return;
    }
    var chosen = doc.getElementById(parts.para.value);
    var passage = parts.passage.value;
    if (passage === "whole" && !text) {
      showError("Write a note to keep one on the whole paragraph, or choose a passage to highlight.");
      return;
    }
    var span = passage === "selection" ? state.selection.span
      : passage === "whole" ? null : passage.split("-").map(Number);
    var note = add(chosen, span, text, passage === "whole");
    if (note && passage === "selection") { window.getSelection().removeAllRanges(); }
    if (note) {
      var marker = chosen.querySelector('.study-marker[data-note="' + note.id + '"]');
      if (!state.returnTo || !state.returnTo.isConnected || state.returnTo.closest(".study-toolbar")) { state.returnTo = marker; }
      dialog.close();
    }
  }

  function add(paragraph, span, text, whole) {
    var note = record(page, paragraph, span, text, whole);
    var list = stored();
    list.push(note);
    if (!store(list)) { return null; }
    render(paragraph);
    announce((text ? "Note" : "Highlight") + " saved on \u00b6" + number(paragraph.id) + ".");
    return note;
  }

  function removeEdited() {
    var note = state.note;
    store(stored().filter(function (n) { return n.id !== note.id; }));
    var paragraph = doc.getElementById(note.para);
    state.returnTo = paragraph ? paragraph.querySelector(".para-copy:not([hidden])") || state.returnTo : state.returnTo;
    if (paragraph) { render(paragraph); }
    announce((note.note ? "Note" : "Highlight") + " on \u00b6" + number(note.para) + " deleted.");
    dialog.close();
  }

  /* -- a selection within one paragraph: "Highlight / Add note" ------------------------- */

  var toolbar = null;
  var chosen = null;
  var hideTimer = 0;

  function buildToolbar() {
    toolbar = el("div", "study-toolbar", doc.body);
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Selected words");
    toolbar.hidden = true;
    var mark = button("Highlight", "study-toolbar__button", toolbar);
    var note = button("Add note", "study-toolbar__button", toolbar);
    toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
    mark.addEventListener("click", function () {
      var picked = current() || chosen;
      hideToolbar();
      if (!picked) { return; }
      var saved = add(picked.paragraph, picked.span, "", false);
      window.getSelection().removeAllRanges();
      var marker = saved && picked.paragraph.querySelector('.study-marker[data-note="' + saved.id + '"]');
      if (marker) { marker.focus(); }
    });
    note.addEventListener("click", function () {
      var picked = current() || chosen;
      hideToolbar();
      if (picked) { openDialog(note, { selection: picked }); }
    });
  }

  function hideToolbar() {
    window.clearTimeout(hideTimer);
    if (toolbar) { toolbar.hidden = true; }
    chosen = null;
  }

  /* The words selected now, in one paragraph: {paragraph, span}, or null. */
  function current() {
    var selection = window.getSelection();
    var range = selection && selection.rangeCount && !selection.isCollapsed ? selection.getRangeAt(0) : null;
    var start = range && (range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement);
    var end = range && (range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement);
    var paragraph = start && start.closest("article p.para");
    var span = paragraph && end && end.closest("article p.para") === paragraph && page.fp[paragraph.id]
      ? spanOf(textMap(paragraph), range) : null;
    return span ? { paragraph: paragraph, span: span, range: range } : null;
  }

  var dragging = false;

  function onSelection() {
    if (dragging) { return; }  // shown when the pointer lets go, not while words are being chosen
    var picked = current();
    if (!picked) {
      window.clearTimeout(hideTimer);
      hideTimer = window.setTimeout(hideToolbar, 400);  // a tap on the toolbar may collapse the selection first
      return;
    }
    window.clearTimeout(hideTimer);
    if (!toolbar) { buildToolbar(); }
    chosen = picked;
    toolbar.hidden = false;
    var box = picked.range.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left, width - toolbar.offsetWidth - 8));
    toolbar.style.left = Math.round(left + window.pageXOffset) + "px";
    toolbar.style.top = Math.round(box.bottom + 8 + window.pageYOffset) + "px";
  }

  function sectionPage() {
    renderAll();
    var timer = 0;
    doc.addEventListener("selectionchange", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(onSelection, 120);
    });
    onSelection();
    doc.addEventListener("pointerdown", function (event) {
      dragging = !(toolbar && toolbar.contains(event.target));
    });
    doc.addEventListener("pointerup", function () {
      if (dragging) { dragging = false; window.setTimeout(onSelection, 0); }
    });
    doc.addEventListener("click", function (event) {
      var marker = event.target.closest && event.target.closest(".study-marker");
      if (!marker) { return; }
      var note = stored().filter(function (n) { return n.id === marker.getAttribute("data-note"); })[0];
      if (note) { openDialog(marker, { note: note }); }
    });
    doc.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && toolbar && !toolbar.hidden) { hideToolbar(); }
    });
  }

  /* "Add a note": words already selected (caret browsing, or the pointer) are offered first. */
  study.open = function (opener) { openDialog(opener, { selection: current() }); };

  /* -- exports and imports ------------------------------------------------------------ */

  var info = data("my-notes-data");

  function sectionOf(note) {
    var reading = info && info.readings[note.reading];
    var n = Number(number(note.para));
    var section = reading ? reading.sections.filter(function (s) { return s.first <= n && n <= s.last; })[0] : null;
    if (!section) { return null; }
    var link = doc.querySelector('[data-section="' + section.key + '"] a');
    return { title: section.title, href: link ? new URL(link.getAttribute("href"), window.location.href).href : "" };
  }

  function isMoved(note) {
    var reading = info && info.readings[note.reading];
    return !reading || reading.fp[note.para] !== note.fp;
  }

  function source(note) {
    var section = sectionOf(note);
    return section && section.href ? section.href.replace(/#.*$/, "") + "#" + note.para
      : "urn:x-reading-library:" + encodeURIComponent(note.reading) + ":" + note.para;
  }

  function annotation(note) {
    var item = {
      "@context": CONTEXT, id: note.id, type: "Annotation",
      motivation: note.note ? "commenting" : "highlighting",
      created: note.created, modified: note.modified,
      target: {
        source: source(note),
        selector: [
          { type: "TextQuoteSelector", exact: note.exact, prefix: note.prefix, suffix: note.suffix },
          { type: "TextPositionSelector", start: note.start, end: note.end }
        ]
      },
      readingLibrary: { reading: note.reading, paragraph: note.para, fingerprint: note.fp, whole: !!note.whole }
    };
    if (note.note) { item.body = { type: "TextualBody", value: note.note, format: "text/plain", purpose: "commenting" }; }
    return item;
  }

  function collection(notes) {
    return {
      "@context": CONTEXT, id: uuid(), type: "AnnotationCollection", label: "My notes", total: notes.length,
      first: { id: uuid(), type: "AnnotationPage", startIndex: 0, items: notes.map(annotation) }
    };
  }

  function fromAnnotation(item) {
    if (!item || item.type !== "Annotation" || !item.target) { return null; }
    var target = Array.isArray(item.target) ? item.target[0] : item.target;
    var selectors = [].concat(target.selector || []);
    var quote = selectors.filter(function (s) { return s && s.type === "TextQuoteSelector"; })[0];
    var position = selectors.filter(function (s) { return s && s.type === "TextPositionSelector"; })[0];
    var own = item.readingLibrary || {};
    var where = /readings\/([a-z0-9-]+)\/[^#]*#(p\d+)$/.exec(String(target.source || ""));
    var reading = typeof own.reading === "string" ? own.reading : where && where[1];
    var para = typeof own.paragraph === "string" ? own.paragraph : where && where[2];
    if (!quote || typeof quote.exact !== "string" || !reading || !/^p\d+$/.test(para || "")) { return null; }
    var body = [].concat(item.body || []).filter(function (b) { return b && b.type === "TextualBody"; })[0];
    return {
      id: String(item.id || uuid()), reading: reading, para: para,
      start: position ? Number(position.start) || 0 : 0,
      end: position ? Number(position.end) || 0 : quote.exact.length,
      exact: quote.exact, prefix: String(quote.prefix || ""), suffix: String(quote.suffix || ""),
      fp: typeof own.fingerprint === "string" ? own.fingerprint : "", whole: !!own.whole,
      note: body ? String(body.value || "") : "",
      created: String(item.created || new Date().toISOString()), modified: String(item.modified || item.created || "")
    };
  }

  function importText(text) {
    var parsed;
    try { parsed = JSON.parse(text); } catch (error) { return null; }
    var items = Array.isArray(parsed) ? parsed
      : parsed && parsed.type === "AnnotationCollection" && parsed.first ? [].concat(parsed.first.items || [])
      : parsed && parsed.type === "AnnotationPage" ? [].concat(parsed.items || []) : [parsed];
    var notes = items.map(fromAnnotation).filter(Boolean);
    return notes.length || !items.length ? notes : null;
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = el("a", "", doc.body);
    link.href = url;
    link.download = name;
    link.hidden = true;
    link.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); link.remove(); }, 1000);
  }

  function markdown(notes) {
    var lines = ["# My notes", "", "Exported " + new Date().toISOString().slice(0, 10) + ".", ""];
    grouped(notes).forEach(function (group) {
      lines.push("## " + group.title, "");
      group.paragraphs.forEach(function (p) {
        lines.push("### \u00b6" + number(p.para) + (p.section ? " \u00b7 " + p.section.title : ""), "");
        if (p.section && p.section.href) { lines.push("<" + p.section.href.replace(/#.*$/, "") + "#" + p.para + ">", ""); }
        p.notes.forEach(function (note) {
          if (!note.whole) { lines.push("> " + note.exact.replace(/\n/g, " "), ""); }
          if (note.note) { lines.push(note.note, ""); }
          if (isMoved(note)) { lines.push("*(may have moved: the paragraph has changed since)*", ""); }
        });
      });
    });
    return lines.join("\n");
  }

  /* Notes by reading (in the site's order) and paragraph. */
  function grouped(notes) {
    var order = Object.keys(info.readings);
    var groups = {};
    notes.slice().sort(function (a, b) {
      return (order.indexOf(a.reading) + 1 || 1e6) - (order.indexOf(b.reading) + 1 || 1e6)
        || Number(number(a.para)) - Number(number(b.para)) || a.start - b.start;
    }).forEach(function (note) {
      var group = groups[note.reading];
      if (!group) {
        var reading = info.readings[note.reading];
        group = groups[note.reading] = { reading: note.reading, paragraphs: [],
          title: reading ? reading.title : "A reading no longer in this site (" + note.reading + ")" };
      }
      var last = group.paragraphs[group.paragraphs.length - 1];
      if (!last || last.para !== note.para) {
        last = { para: note.para, section: sectionOf(note), notes: [] };
        group.paragraphs.push(last);
      }
      last.notes.push(note);
    });
    return Object.keys(groups).map(function (key) { return groups[key]; });
  }

  /* -- "My notes" ------------------------------------------------------------------------ */

  function notesPage() {
    var app = doc.getElementById("my-notes-app");
    Array.prototype.forEach.call(doc.querySelectorAll(".study-needs-script"), function (n) { n.hidden = true; });
    var tools = el("div", "study-tools", app);
    var exportMd = button("Export as Markdown", "md-button", tools);
    var exportJson = button("Export as Web Annotation JSON", "md-button", tools);
    var chooser = el("input", "study-file", tools);
    chooser.type = "file";
    chooser.accept = ".json,.jsonld,application/json,application/ld+json";
    chooser.id = "study-import";
    var importLabel = el("label", "md-button study-import", tools, "Import Web Annotation JSON");
    importLabel.htmlFor = "study-import";
    var print = button("Print my notes", "md-button", tools);
    var clear = button("Delete all notes", "md-button study-danger", tools);
    var count = el("p", "study-count", app);
    count.setAttribute("tabindex", "-1");
    var list = el("div", "study-list", app);
    app.hidden = false;

    function draw() {
      var notes = stored();
      list.textContent = "";
      count.textContent = notes.length ? notes.length + (notes.length === 1 ? " note" : " notes") + " in this browser."
        : "No notes yet. Select words in a paragraph of a reading, or use \u201cAdd a note\u201d at the top of a section.";
      [exportMd, exportJson, clear].forEach(function (b) { b.disabled = !notes.length; });
      grouped(notes).forEach(function (group) {
        el("h2", "", list, group.title);
        group.paragraphs.forEach(function (p) {
          var heading = el("h3", "", list);
          var label = "\u00b6" + number(p.para) + (p.section ? " \u00b7 " + p.section.title : "");
          if (p.section && p.section.href) {
            var link = el("a", "", heading, label);
            link.href = p.section.href.replace(/#.*$/, "") + "#" + p.para;
          } else { heading.textContent = label; }
          p.notes.forEach(function (note) {
            var item = el("div", "study-item", list);
            item.setAttribute("data-note", note.id);
            if (isMoved(note)) { el("p", "study-moved", item, "May have moved: this paragraph has changed since the note was made."); }
            if (!note.whole) { el("blockquote", "study-quote", item, note.exact); } else { el("p", "study-whole", item, "On the whole paragraph"); }
            if (note.note) { el("p", "study-note", item, note.note); }
            var remove = button("Delete", "md-button study-delete", item);
            remove.setAttribute("aria-label", "Delete " + (note.note ? "note" : "highlight") + " on \u00b6" + number(note.para) + ": " + short(note.note || note.exact, 60));
            remove.addEventListener("click", function () {
              store(stored().filter(function (n) { return n.id !== note.id; }));
              draw();
              announce("Deleted. " + count.textContent);
              (list.querySelector(".study-delete") || count).focus();
            });
          });
        });
      });
    }

    exportMd.addEventListener("click", function () {
      download("my-notes.md", "text/markdown", markdown(stored()));
      announce("Your notes were saved as my-notes.md.");
    });
    exportJson.addEventListener("click", function () {
      download("my-notes.jsonld", "application/ld+json", JSON.stringify(collection(stored()), null, 2));
      announce("Your notes were saved as my-notes.jsonld (W3C Web Annotation).");
    });
    chooser.addEventListener("change", function () {
      var file = chooser.files && chooser.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.addEventListener("load", function () {
        var notes = importText(String(reader.result));
        chooser.value = "";
        if (!notes) {
          announce("That file holds no Web Annotation notes this site can read; nothing was imported.");
          return;
        }
        var list = stored();
        var replaced = 0;
        notes.forEach(function (note) {
          var at = list.map(function (n) { return n.id; }).indexOf(note.id);
          if (at >= 0) { list[at] = note; replaced++; } else { list.push(note); }
        });
        store(list);
        draw();
        announce("Imported " + notes.length + (notes.length === 1 ? " note" : " notes")
          + (replaced ? " (" + replaced + " replaced an existing one)" : "") + ".");
      });
      reader.readAsText(file);
    });
    print.addEventListener("click", function () { window.print(); });
    clear.addEventListener("click", function () {
      var n = stored().length;
      if (!window.confirm("Delete all " + n + (n === 1 ? " note" : " notes") + " from this browser? This cannot be undone; export them first to keep a copy.")) {
        announce("Nothing was deleted.");
        return;
      }
      store([]);
      draw();
      announce("All notes deleted.");
      count.focus();
    });
    draw();
  }

  if (page) { sectionPage(); }
  if (info && doc.getElementById("my-notes-app")) { notesPage(); }
})();
