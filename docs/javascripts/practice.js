/* A reading's practice page: its cards (script#practice-data, made from the model when the
 * site was built) one at a time, answered with the keyboard or the pointer. Progress stays
 * in this browser (localStorage) on a simple spaced-repetition schedule: a right answer moves
 * a card up a box and it comes back after 1, 3, 7, 16 then 35 days; a wrong one sends it back
 * to the first box, due again in a minute and shown again after two other cards. Loaded by
 * study-boot.js on this page only; every text is shown with textContent. */
(function () {
  "use strict";
  var doc = document;
  var DAY = 86400000;
  var INTERVALS = [0, 1, 3, 7, 16, 35];
  var AGAIN = 60000;
  var source = doc.getElementById("practice-data");
  var app = doc.getElementById("practice-app");
  var deck;
  try { deck = JSON.parse(source.textContent); } catch (error) { return; }
  if (!app || !deck || !Array.isArray(deck.cards)) { return; }
  var KEY = "reading-library.practice." + deck.reading;

  var style = doc.createElement("link");
  style.rel = "stylesheet";
  style.href = (doc.currentScript ? doc.currentScript.src.replace(/[^\/?#]*([?#].*)?$/, "") : "") + "../stylesheets/study.css";
  doc.head.appendChild(style);

  function progress() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (error) { return {}; }
  }

  function keep(all) {
    try { window.localStorage.setItem(KEY, JSON.stringify(all)); } catch (error) { /* private mode: this session only */ }
  }

  var el = window.readingStudyDom.el;  // study-boot.js, which loads this script

  function button(label, className, parent) {
    return window.readingStudyDom.button(label, "md-button " + (className || ""), parent);
  }

  /* -- the page ------------------------------------------------------------------------ */

  Array.prototype.forEach.call(doc.querySelectorAll(".study-needs-script"), function (n) { n.hidden = true; });
  var counter = el("p", "practice-progress", app);
  var card = el("section", "practice-card", app);
  card.setAttribute("aria-labelledby", "practice-kind");
  var kind = el("h2", "practice-kind", card);
  kind.id = "practice-kind";
  var prompt = el("p", "practice-prompt", card);
  prompt.id = "practice-prompt";
  prompt.setAttribute("tabindex", "-1");
  var form = el("form", "practice-form", card);
  var choices = el("fieldset", "practice-choices", form);
  el("legend", "", choices, "Choose the answer");
  var options = el("div", "practice-options", choices);
  var check = el("button", "md-button md-button--primary", form, "Check answer");
  check.type = "submit";
  var reveal = button("Show answer", "md-button--primary", form);
  var result = el("div", "practice-result", card);
  var verdict = el("p", "practice-verdict", result);
  var answer = el("p", "practice-answer", result);
  var grade = el("div", "practice-grade", result);
  el("p", "", grade, "Did you know it?");
  var knew = button("I knew it", "md-button--primary", grade);
  var missed = button("Not yet", "", grade);
  var place = el("p", "practice-place", result);
  var next = button("Next card", "md-button--primary", result);
  var done = el("div", "practice-done", app);
  var doneText = el("p", "", done);
  doneText.setAttribute("tabindex", "-1");
  var again = button("Practise all cards again", "", done);
  var reset = button("Forget my progress on this reading", "practice-reset", app);
  var status = el("p", "practice-status", app);
  status.setAttribute("role", "status");
  app.hidden = false;

  function announce(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  /* -- the session: due cards first (soonest first), then new ones in the deck's order ---- */

  var queue = [];
  var current = null;

  function due(all, now) {
    var byId = {};
    deck.cards.forEach(function (c, index) { byId[c.id] = index; });
    return deck.cards.filter(function (c) { return !all[c.id] || all[c.id].due <= now; })
      .sort(function (a, b) {
        var x = all[a.id];
        var y = all[b.id];
        return (x ? 0 : 1) - (y ? 0 : 1) || (x && y ? x.due - y.due : 0) || byId[a.id] - byId[b.id];
      });
  }

  function count() {
    var all = progress();
    var now = Date.now();
    var seen = deck.cards.filter(function (c) { return all[c.id]; }).length;
    var learned = deck.cards.filter(function (c) { return all[c.id] && all[c.id].due > now; }).length;
    counter.textContent = queue.length + " to practise now \u00b7 " + (deck.cards.length - seen) + " not seen yet \u00b7 "
      + learned + " of " + deck.cards.length + " learned for now";
  }

  function show(focus) {
    current = queue[0] || null;
    card.hidden = !current;
    done.hidden = !!current;
    count();
    if (!current) {
      doneText.textContent = deck.cards.length ? "Nothing is due now: every card is learned for the moment. Cards come back after a day or more."
        : "This reading has no cards yet.";
      again.hidden = !deck.cards.length;
      if (focus) { doneText.focus(); }
      return;
    }
    var choice = !!current.options;
    card.setAttribute("data-card-id", current.id);
    kind.textContent = (deck.kinds[current.kind] || "Card");
    prompt.textContent = current.prompt;
    choices.hidden = check.hidden = !choice;
    reveal.hidden = choice;
    options.textContent = "";
    (current.options || []).forEach(function (text, index) {
      var label = el("label", "practice-option", options);
      var input = el("input", "", label);
      input.type = "radio";
      input.name = "practice-answer";
      input.value = String(index);
      input.required = true;
      label.appendChild(doc.createTextNode(" " + text));
    });
    result.hidden = true;
    form.hidden = false;
    if (focus) { prompt.focus(); }
  }

  function schedule(right) {
    var all = progress();
    var now = Date.now();
    var state = all[current.id] || { box: 0, right: 0, wrong: 0 };
    state.box = right ? Math.min(state.box + 1, INTERVALS.length - 1) : 0;
    state.due = right ? now + INTERVALS[state.box] * DAY : now + AGAIN;
    state[right ? "right" : "wrong"] += 1;
    state.seen = now;
    all[current.id] = state;
    keep(all);
    queue.shift();
    if (!right) { queue.splice(Math.min(2, queue.length), 0, current); }
    return right ? "It comes back in " + INTERVALS[state.box] + (INTERVALS[state.box] === 1 ? " day." : " days.")
      : "It comes back soon, after two other cards.";
  }

  function where() {
    place.textContent = "";
    var link = doc.querySelector('[data-card="' + current.id + '"] a.practice-source');
    if (link) {
      var back = el("a", "", place, "Where it is written: " + link.textContent);
      back.href = link.href;
    }
  }

  function finish(message, right) {
    var when = schedule(right);
    verdict.textContent = message;
    verdict.setAttribute("data-right", right ? "true" : "false");
    where();
    grade.hidden = true;
    next.hidden = false;
    result.hidden = false;
    form.hidden = true;
    count();
    announce(message + " " + when);
    next.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var picked = form.querySelector("input[name=practice-answer]:checked");
    if (!picked || !current.options) { return; }
    var right = current.options[Number(picked.value)] === current.answer;
    answer.textContent = "";
    el("strong", "", answer, "Answer: ");
    answer.appendChild(doc.createTextNode(current.answer));
    finish(right ? "Right." : "Not quite: you chose \u201c" + current.options[Number(picked.value)] + "\u201d.", right);
  });

  reveal.addEventListener("click", function () {
    answer.textContent = "";
    el("strong", "", answer, "Answer: ");
    answer.appendChild(doc.createTextNode(current.answer));
    verdict.textContent = "";
    where();
    grade.hidden = false;
    next.hidden = true;
    result.hidden = false;
    form.hidden = true;
    announce("Answer: " + current.answer + ". Did you know it?");
    knew.focus();
  });

  knew.addEventListener("click", function () { finish("Good: you knew it.", true); });
  missed.addEventListener("click", function () { finish("Not yet: it is kept for practice.", false); });
  next.addEventListener("click", function () { show(true); });
  again.addEventListener("click", function () {
    var all = progress();
    queue = deck.cards.slice().sort(function (a, b) { return (all[a.id] ? all[a.id].due : 0) - (all[b.id] ? all[b.id].due : 0); });
    show(true);
  });
  reset.addEventListener("click", function () {
    if (!window.confirm("Forget your progress on this reading's cards? This cannot be undone.")) { return; }
    try { window.localStorage.removeItem(KEY); } catch (error) { /* nothing kept */ }
    queue = due({}, Date.now());
    show(true);
    announce("Progress forgotten: every card is new again.");
  });

  queue = due(progress(), Date.now());
  show(false);
})();
