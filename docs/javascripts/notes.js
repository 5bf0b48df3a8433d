/* Editors' notes as a layer: each note is a collapsed <details class="annotation">
 * (readable without this script: it opens on click). The page's one switch,
 * "Show all notes / Hide notes", opens or closes them all, and the choice is
 * remembered across pages (localStorage, which works from file:// too).
 * On a reading's overview, the filter by kind is CSS (radio buttons); this
 * script only says how many notes it shows. */
(function () {
  "use strict";

  var KEY = "reading-library.notes";

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "shown"; } catch (error) { return false; }
  }

  function remember(shown) {
    try { window.localStorage.setItem(KEY, shown ? "shown" : "hidden"); } catch (error) { /* private mode */ }
  }

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }

  function show(shown) {
    each("details.annotation", function (note) { note.open = shown; });
    each(".notes-switch", function (button) {
      button.textContent = shown ? "Hide notes" : "Show all notes";
      button.setAttribute("data-shown", shown ? "true" : "false");
      button.hidden = false;
    });
  }

  if (document.querySelector("details.annotation")) {
    show(remembered());
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".notes-switch");
    if (!button) { return; }
    var shown = button.getAttribute("data-shown") !== "true";
    remember(shown);
    show(shown);
  });

  /* The overview's filter: announce what it shows. */
  var filter = document.querySelector(".note-filter");
  var status = document.querySelector(".note-filter-status");
  if (filter && status) {
    filter.addEventListener("change", function () {
      var chosen = filter.querySelector("input:checked");
      var label = chosen && chosen.parentElement ? chosen.parentElement.textContent.trim() : "";
      var count = 0;
      each(".note-item", function (item) {
        if (getComputedStyle(item).display !== "none") { count += 1; }
      });
      status.textContent = "Showing " + count + (count === 1 ? " note" : " notes")
        + (chosen && chosen.value !== "all" ? ": " + label.replace(/\s*\(\d+\)$/, "") : "") + ".";
    });
  }
})();
