/* Notes, practice and list filters: all a page loads at first; study-notes.js, practice.js
 * and filters.js come on first use or on the pages that have them, by script injection
 * (no fetch: works from file://). */
(function () {
  "use strict";
  var doc = document;
  var me = doc.currentScript;
  var base = me ? me.src.replace(/[^\/?#]*([?#].*)?$/, "") : "javascripts/";
  var loading = {};

  function load(file, then) {
    var queue = loading[file];
    if (queue === true) { if (then) { then(); } return; }
    if (!queue) {
      queue = loading[file] = [];
      var script = doc.createElement("script");
      script.src = base + file;
      script.addEventListener("load", function () {
        loading[file] = true;
        queue.forEach(function (run) { run(); });
      });
      doc.head.appendChild(script);
    }
    if (then) { queue.push(then); }
  }

  function el(tag, className, parent, text) {
    var node = doc.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function button(label, className, parent) {
    var node = el("button", className, parent, label);
    node.type = "button";
    return node;
  }

  /* The two DOM helpers the scripts loaded from here share (text only: textContent). */
  window.readingStudyDom = { el: el, button: button };

  function data(id) {
    var node = doc.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : null; } catch (error) { return null; }
  }

  if (doc.querySelector(".list-filters")) { load("filters.js"); }
  if (doc.getElementById("practice-data")) { load("practice.js"); }
  if (doc.getElementById("my-notes-data")) { load("study-notes.js"); }
  var page = data("study-page");
  var line = doc.querySelector(".section-position");
  if (!page || !line) { return; }

  /* the keyboard's way in: one control per page */
  var button = doc.createElement("button");
  button.type = "button";
  button.className = "study-open md-button";
  button.textContent = "Add a note";
  button.setAttribute("aria-haspopup", "dialog");
  button.style.cssText = "margin:0;padding:.15em .8em;font-size:.7rem";  // before study.css
  line.appendChild(doc.createTextNode(" "));
  line.appendChild(button);
  button.addEventListener("click", function () {
    load("study-notes.js", function () { window.readingStudy.open(button); });
  });

  var notes = [];
  try { notes = JSON.parse(window.localStorage.getItem("reading-library.my-notes") || "[]"); } catch (error) { notes = []; }
  var here = Array.isArray(notes) && notes.some(function (note) {
    return note && note.reading === page.reading && page.fp[note.para];
  });
  if (here) { load("study-notes.js"); return; }

  function selected() {
    var selection = window.getSelection();
    var node = selection && !selection.isCollapsed ? selection.anchorNode : null;
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    if (element && element.closest("article p.para")) {
      doc.removeEventListener("selectionchange", selected);
      load("study-notes.js");
    }
  }
  doc.addEventListener("selectionchange", selected);
})();
