/* Filters for generated lists: the glossary's A–Z (by category, by reading) and the
 * timeline (by term, by category). Each list item carries a hidden
 * <span class="filter-entry" data-category="…" data-reading="…" data-term="…">
 * (slugs, space-separated); the names shown in the menus come from the entries and
 * from <span data-filter data-value> in the filter box. Nothing is fetched, so the
 * filters work from a file too; without JavaScript the whole list shows. */
(function () {
  "use strict";
  var box = document.querySelector(".list-filters");
  if (!box) { return; }
  var LABELS = { category: "Category", reading: "Reading", term: "Term" };
  var entries = Array.prototype.slice.call(document.querySelectorAll(".filter-entry"));
  var names = { category: {}, reading: {}, term: {} };
  entries.forEach(function (entry) {
    var tokens = (entry.dataset.category || "").split(" ");
    var shown = (entry.dataset.categoryName || "").split(" · ");
    tokens.forEach(function (token, index) { if (token) { names.category[token] = shown[index] || token; } });
  });
  Array.prototype.forEach.call(box.querySelectorAll("[data-filter]"), function (span) {
    names[span.dataset.filter][span.dataset.value] = span.textContent;
  });
  var kinds = (box.dataset.filters || "").split(" ").filter(function (kind) { return LABELS[kind]; });
  box.textContent = "";
  var menus = kinds.map(function (kind) {
    var wrap = document.createElement("span");
    var label = document.createElement("label");
    var select = document.createElement("select");
    select.id = "filter-" + kind;
    label.htmlFor = select.id;
    label.textContent = LABELS[kind] + " ";
    var options = Object.keys(names[kind]).map(function (value) { return [value, names[kind][value]]; });
    options.sort(function (a, b) { return a[1].localeCompare(b[1]); });
    [["", "All"]].concat(options).forEach(function (option) {
      var item = document.createElement("option");
      item.value = option[0];
      item.textContent = option[1];
      select.appendChild(item);
    });
    select.addEventListener("change", apply);
    wrap.appendChild(label);
    wrap.appendChild(select);
    box.appendChild(wrap);
    return { kind: kind, select: select };
  });
  var count = document.createElement("p");
  count.className = "filter-count";
  count.setAttribute("role", "status");
  box.appendChild(count);

  function fits(entry) {
    return menus.every(function (menu) {
      var value = menu.select.value;
      return !value || (" " + (entry.dataset[menu.kind] || "") + " ").indexOf(" " + value + " ") >= 0;
    });
  }

  function apply() {
    var shown = 0;
    entries.forEach(function (entry) {
      var keep = fits(entry);
      entry.closest("li").hidden = !keep;
      shown += keep ? 1 : 0;
    });
    /* a heading whose list has nothing left to show goes with it */
    document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
      var list = heading.nextElementSibling;
      if (!list || list.tagName !== "UL" || !list.querySelector(".filter-entry")) { return; }
      var any = Boolean(list.querySelector("li:not([hidden])"));
      heading.hidden = !any;
      list.hidden = !any;
    });
    var active = menus.some(function (menu) { return menu.select.value; });
    count.textContent = active ? shown + " of " + entries.length + " shown" : "";
  }

  box.hidden = false;
})();
