// Draws the dashboard's charts with uPlot from GET /api/dashboard, then fetches it again every data-refresh seconds and
// gives each chart its new data (setData: no redraw of the page, no navigation). The tiles refresh themselves with
// htmx. Every chart the server sends is drawn, so a chart added on the server needs no change here. Colours follow the
// series key; times are 24-hour and UTC, as everywhere in the panel, or the browser's zone when the user chose local
// time (<html data-time="local">, as app.js reads it).
(function () {
  "use strict";
  var COLOURS = { accepted: "#2e7d32", greylisted: "#b7791f", deferred: "#c05621", rejected: "#c53030", disconnected: "#6b46c1",
    trapped: "#9d174d", "rate-limited": "#0f766e" };
  var SPARE = ["#2b4c7e", "#0f766e", "#9d174d", "#4d7c0f", "#92400e"];
  // counts: ticks only at whole numbers
  var INTEGER_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000,
    100000, 250000, 500000, 1000000];
  var plots = {};

  function colour(key, i) { return COLOURS[key] || SPARE[i % SPARE.length]; }

  var LOCAL = document.documentElement.getAttribute("data-time") === "local";

  function two(n) { return (n < 10 ? "0" : "") + n; }

  // "2026-03-01T10:00" in UTC, or in the browser's zone under local time
  function iso(ts) {
    var d = new Date(ts * 1000);
    if (!LOCAL) return d.toISOString();
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "T" + two(d.getHours()) + ":" +
      two(d.getMinutes());
  }

  // the panel's own format: 2026-03-01 10:00
  function stamp(ts) { var t = iso(ts); return t.slice(0, 10) + " " + t.slice(11, 16); }

  function container(chart) {
    var fig = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!fig) {
      fig = document.createElement("figure");
      fig.className = "card chart";
      fig.setAttribute("data-chart", chart.id);
      var cap = document.createElement("figcaption");
      // the zone of the time axis, since its ticks are drawn on the canvas
      cap.textContent = chart.title + (LOCAL ? " (local time)" : " (UTC)");
      var area = document.createElement("div");
      area.className = "chart-area";
      fig.appendChild(cap);
      fig.appendChild(area);
      document.getElementById("charts").appendChild(fig);
    }
    return fig;
  }

  function dataOf(chart) {
    var data = [chart.x];
    chart.series.forEach(function (s) { data.push(s.values); });
    return data;
  }

  // what the page shows of a chart's data, for people reading the source and for the browser test
  function mark(fig, chart) {
    var total = 0;
    chart.series.forEach(function (s) { s.values.forEach(function (v) { total += v; }); });
    fig.setAttribute("data-total", String(total));
  }

  function draw(chart) {
    var fig = container(chart);
    var area = fig.querySelector(".chart-area");
    area.textContent = "";
    var series = [{ label: LOCAL ? "Local time" : "UTC", value: function (u, ts) { return ts == null ? "" : stamp(ts); } }];
    chart.series.forEach(function (s, i) {
      series.push({ label: s.label, stroke: colour(s.key, i), width: 2, points: { show: chart.x.length <= 7 },
        value: function (u, v) { return v == null ? "" : String(v); } });
    });
    var width = Math.max(280, area.clientWidth || 600);
    function label(ts) {
      var t = iso(ts);
      return chart.step === "day" ? t.slice(5, 10) : t.slice(11, 16);
    }
    plots[chart.id] = new uPlot({
      width: width, height: 240, series: series,
      // tick positions on whole hours and days of the zone shown (UTC unless the user chose local), labels 24-hour
      tzDate: function (ts) { return LOCAL ? new Date(ts * 1000) : uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      axes: [{ values: function (u, splits) { return splits.map(label); } },
        { size: 50, incrs: INTEGER_STEPS, values: function (u, splits) { return splits.map(function (v) { return String(Math.round(v)); }); } }],
      scales: { y: { range: function (u, min, max) { return [0, Math.max(4, max)]; } } },
      // the legend names the series; values appear only while the pointer is over the chart (no "--" placeholders)
      legend: { live: false }
    }, dataOf(chart), area);
    mark(fig, chart);
  }

  function update(chart) {
    var plot = plots[chart.id];
    if (!plot) { draw(chart); return; }
    plot.setData(dataOf(chart));
    mark(container(chart), chart);
  }

  function fetchCharts(charts) {
    return fetch(charts.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
  }

  function problem(charts, e) {
    var p = charts.querySelector("p.alert") || document.createElement("p");
    p.className = "alert";
    p.textContent = "Charts could not be loaded (" + e.message + ").";
    charts.appendChild(p);
  }

  function load() {
    var charts = document.getElementById("charts");
    if (!charts || typeof uPlot === "undefined") return;
    fetchCharts(charts)
      .then(function (d) { d.charts.forEach(draw); charts.setAttribute("data-ready", "true"); })
      .catch(function (e) { problem(charts, e); });
    var every = parseInt(charts.getAttribute("data-refresh"), 10);
    if (every > 0) {
      setInterval(function () {
        if (document.hidden) return; // a background tab asks nothing
        fetchCharts(charts)
          .then(function (d) {
            d.charts.forEach(update);
            var old = charts.querySelector("p.alert");
            if (old) old.remove();
            charts.setAttribute("data-refreshed", d.generatedAt);
          })
          .catch(function (e) { problem(charts, e); });
      }, every * 1000);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load); else load();
})();
