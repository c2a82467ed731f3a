// mobsec report: search and filters over the findings. Inlined; no network, no libraries.
// A check card is hidden when none of its places is shown, an area when none of its cards.
(function () {
  "use strict";
  var search = document.getElementById("search");
  var newOnly = document.getElementById("new-only");
  var showSuppressed = document.getElementById("show-suppressed");
  var sevBoxes = Array.prototype.slice.call(document.querySelectorAll("input.sev-filter"));
  var scopes = Array.prototype.slice.call(document.querySelectorAll("input.scope-filter"));
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".instances"));
  var checks = Array.prototype.slice.call(document.querySelectorAll("section.check"));
  var areas = Array.prototype.slice.call(document.querySelectorAll("section.area"));
  var shown = document.getElementById("shown-count");
  if (!search) { return; }

  function apply() {
    var q = search.value.trim().toLowerCase();
    var sev = {};
    sevBoxes.forEach(function (b) { sev[b.value] = b.checked; });
    var scope = "all";
    scopes.forEach(function (b) { if (b.checked) { scope = b.value; } });
    var count = 0;
    findings.forEach(function (f) {
      var ok = sev[f.dataset.severity] !== false
        && (scope === "all" || f.dataset.owner === scope)
        && (!q || f.dataset.search.indexOf(q) !== -1)
        && (!newOnly || !newOnly.checked || f.dataset.status === "new")
        && (showSuppressed.checked || f.dataset.suppressed !== "true");
      f.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    [blocks, checks, areas].forEach(function (list) {
      list.forEach(function (el) {
        el.classList.toggle("hidden", !el.querySelector("article.finding:not(.hidden)"));
      });
    });
    shown.textContent = String(count);
  }

  [search, showSuppressed].concat(newOnly ? [newOnly] : []).concat(sevBoxes).concat(scopes)
    .forEach(function (el) {
      el.addEventListener("input", apply);
      el.addEventListener("change", apply);
    });
  apply();
})();

// The personal-information scenarios: search and result filter, independent of the findings.
(function () {
  "use strict";
  var search = document.getElementById("privacy-search");
  if (!search) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.result-filter"));
  var items = Array.prototype.slice.call(document.querySelectorAll("article.scenario"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.scenario-group"));
  var shown = document.getElementById("privacy-shown-count");

  function apply() {
    var q = search.value.trim().toLowerCase();
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.value] = b.checked; });
    var count = 0;
    items.forEach(function (s) {
      var ok = wanted[s.dataset.result] !== false && (!q || s.dataset.search.indexOf(q) !== -1);
      s.classList.toggle("hidden", !ok);
      if (ok) { count += 1; }
    });
    groups.forEach(function (g) {
      g.classList.toggle("hidden", !g.querySelector("article.scenario:not(.hidden)"));
    });
    shown.textContent = String(count);
  }

  [search].concat(boxes).forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
