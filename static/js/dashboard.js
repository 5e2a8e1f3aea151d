/* The dashboards' charts (Chart.js 4 from static/vendor). Each <canvas data-chart="..."> names its
   data: a <script type="application/json"> element rendered by the server. Every chart has a table
   with the same figures beside it, and every colour goes with a word in the legend and tooltips. */
(function () {
  "use strict";

  var RATING_COLOURS = {
    good: "#146c43",
    approaching: "#ffc107",
    requires_improvement: "#fd7e14",
    inadequate: "#b02a37",
    other: "#5c636a",
  };
  var BAR = "#0b2f5b";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });
  var whole = new Intl.NumberFormat("en-GB");

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    return source ? JSON.parse(source.textContent) : null;
  }

  var builders = {
    categories: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{ label: "Total value of active contracts", data: data.values, backgroundColor: BAR }],
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: reduceMotion ? false : undefined,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return pounds.format(item.raw) + " (" + whole.format(data.counts[item.dataIndex]) + " contracts)";
                },
              },
            },
          },
          scales: { x: { ticks: { callback: function (value) { return pounds.format(value); } } } },
        },
      };
    },
    trend: function (data) {
      return {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series) {
            return {
              label: series.label,
              data: series.counts,
              backgroundColor: RATING_COLOURS[series.key] || RATING_COLOURS.other,
              borderColor: "#ffffff",
              borderWidth: 1,
            };
          }),
        },
        options: {
          maintainAspectRatio: false,
          animation: reduceMotion ? false : undefined,
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return item.dataset.label + ": " + whole.format(item.raw) + " results";
                },
              },
            },
          },
          scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: function (v) { return whole.format(v); } } } },
        },
      };
    },
  };

  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var build = builders[canvas.dataset.chart];
      var data = readData(canvas);
      if (!build || !data) return;
      new window.Chart(canvas, build(data));
      canvas.dataset.drawn = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
