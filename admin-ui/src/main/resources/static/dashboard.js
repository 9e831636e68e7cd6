// Draws the dashboard's charts with uPlot from GET /api/dashboard. Every chart the server sends is drawn, so a chart
// added on the server needs no change here. Colours follow the series key.
(function () {
  "use strict";
  var COLOURS = { accepted: "#2e7d32", greylisted: "#b7791f", deferred: "#c05621", rejected: "#c53030", disconnected: "#6b46c1",
    trapped: "#9d174d", "rate-limited": "#0f766e" };
  var SPARE = ["#2b4c7e", "#0f766e", "#9d174d", "#4d7c0f", "#92400e"];

  function colour(key, i) { return COLOURS[key] || SPARE[i % SPARE.length]; }

  function container(chart) {
    var fig = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!fig) {
      fig = document.createElement("figure");
      fig.className = "card chart";
      fig.setAttribute("data-chart", chart.id);
      var cap = document.createElement("figcaption");
      cap.textContent = chart.title;
      var area = document.createElement("div");
      area.className = "chart-area";
      fig.appendChild(cap);
      fig.appendChild(area);
      document.getElementById("charts").appendChild(fig);
    }
    return fig.querySelector(".chart-area");
  }

  function draw(chart) {
    var area = container(chart);
    area.textContent = "";
    var data = [chart.x];
    var series = [{}];
    chart.series.forEach(function (s, i) {
      data.push(s.values);
      series.push({ label: s.label, stroke: colour(s.key, i), width: 2, points: { show: chart.x.length <= 7 } });
    });
    var width = Math.max(280, area.clientWidth || 600);
    // labels in UTC, as every time in the panel
    function label(ts) {
      var iso = new Date(ts * 1000).toISOString();
      return chart.step === "day" ? iso.slice(5, 10) : iso.slice(11, 16);
    }
    new uPlot({
      width: width, height: 240, series: series,
      axes: [{ values: function (u, splits) { return splits.map(label); } }, { size: 50 }],
      scales: { y: { range: function (u, min, max) { return [0, Math.max(4, max)]; } } },
      legend: { live: true }
    }, data, area);
  }

  function load() {
    var charts = document.getElementById("charts");
    if (!charts || typeof uPlot === "undefined") return;
    fetch(charts.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (d) { d.charts.forEach(draw); charts.setAttribute("data-ready", "true"); })
      .catch(function (e) {
        var p = document.createElement("p");
        p.className = "alert";
        p.textContent = "Charts could not be loaded (" + e.message + ").";
        charts.appendChild(p);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load); else load();
})();
