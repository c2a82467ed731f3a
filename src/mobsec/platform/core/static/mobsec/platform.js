// Platform pages: charts on the dashboard and live scan progress. Loaded from our own
// origin only (CSP script-src 'self'); data comes from json_script blocks, never from HTML.
(function () {
  "use strict";

  function drawCharts() {
    var el = document.getElementById("chart-data");
    if (!el || typeof Chart === "undefined") return;
    var data = JSON.parse(el.textContent);
    var colours = ["#7d1128", "#c0392b", "#d68910", "#2e86c1", "#7f8c8d"];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series) return;
      var severity = canvas.dataset.chart === "severity";
      new Chart(canvas, {
        type: canvas.dataset.type || "bar",
        data: {
          labels: series.labels,
          datasets: [{ label: canvas.dataset.label || "", data: series.values,
                       backgroundColor: severity ? colours : "#1f5fbf" }],
        },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
                   indexAxis: canvas.dataset.axis || "x",
                   plugins: { legend: { display: false } } },
      });
    });
  }

  function followScan() {
    var box = document.getElementById("scan-status");
    if (!box || !box.dataset.statusUrl) return;
    var bar = box.querySelector("progress");
    var state = box.querySelector(".state");
    var phase = box.querySelector(".phase");
    var error = box.querySelector(".error-text");
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin",
                                     headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var p = s.progress > 1 ? s.progress / 100 : s.progress;
          if (bar) bar.value = Math.round((p || 0) * 100);
          if (state) { state.textContent = box.dataset["label" + s.status] || s.status;
                       state.className = "state state-" + s.status; }
          if (phase) phase.textContent = s.phase || "";
          if (s.status === "done") { window.location.reload(); return; }
          if (s.status === "failed" || s.status === "cancelled") {
            if (error && s.error) error.textContent =
              (document.documentElement.lang === "en" ? s.error.en : s.error.zh) || s.error.en || "";
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(); followScan(); });
})();
