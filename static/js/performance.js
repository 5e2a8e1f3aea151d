/* The Performance page's charts (Chart.js 4, served from static/vendor): each KPI's results against
   its target, and the contract's results by rating. The data is in <script type="application/json">
   elements rendered by the server; after an htmx update the server sends them again out of band and
   the charts are redrawn from them. Every chart has a table with the same data beside it. */
(function () {
  "use strict";

  // The colours of the rating badges (static/css/site.css); a word always goes with each colour.
  var RATING_COLOURS = {
    good: "#146c43",
    approaching: "#ffc107",
    requires_improvement: "#fd7e14",
    inadequate: "#b02a37",
    other: "#5c636a",
  };
  var RESULT_LINE = "#0b2f5b";
  var TARGET_LINE = "#212529";
  var THRESHOLD_LINE = "#b02a37";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var drawn = new WeakMap(); // canvas -> the JSON text it was last drawn from

  function repeat(value, count) {
    var out = [];
    for (var i = 0; i < count; i += 1) out.push(value);
    return out;
  }

  function trendConfig(data) {
    var count = data.actual.length;
    var suffix = data.percentage ? "%" : "";
    var yesNo = data.unit === "yes_no";
    var datasets = [
      {
        label: "Result",
        data: data.actual,
        borderColor: RESULT_LINE,
        backgroundColor: RESULT_LINE,
        borderWidth: 2,
        tension: 0,
        pointBackgroundColor: data.ratingKeys.map(function (key) {
          return RATING_COLOURS[key] || RATING_COLOURS.other;
        }),
        pointBorderColor: "#212529",
        pointBorderWidth: 1,
        pointRadius: count > 36 ? 3 : 4,
        pointHoverRadius: 6,
      },
      {
        label: data.targetLabel,
        data: repeat(data.target, count),
        borderColor: TARGET_LINE,
        backgroundColor: "#ffffff",
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHoverRadius: 0,
      },
    ];
    if (data.threshold !== null) {
      datasets.push({
        label: data.thresholdLabel,
        data: repeat(data.threshold, count),
        borderColor: THRESHOLD_LINE,
        backgroundColor: "#ffffff",
        borderDash: [2, 3],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHoverRadius: 0,
      });
    }
    return {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 250 },
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } },
          y: {
            min: yesNo ? 0 : undefined,
            max: data.percentage ? 100 : yesNo ? 1 : undefined,
            title: { display: Boolean(data.axis), text: data.axis },
            ticks: {
              stepSize: yesNo ? 1 : undefined,
              callback: function (value) {
                if (yesNo) return value === 1 ? "Yes" : value === 0 ? "No" : "";
                return value + suffix;
              },
            },
          },
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 24, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.periods[items[0].dataIndex] : "";
              },
              label: function (context) {
                if (context.datasetIndex === 0) {
                  return "Result: " + data.display[context.dataIndex] + " (" + data.ratings[context.dataIndex] + ")";
                }
                return context.dataset.label;
              },
            },
          },
        },
      },
    };
  }

  function ratingsConfig(data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: "Results",
            data: data.counts,
            backgroundColor: data.ratingKeys.map(function (key) {
              return RATING_COLOURS[key];
            }),
            borderColor: "#212529",
            borderWidth: 1,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 250 },
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    };
  }

  function pointsOf(kind, data) {
    return kind === "ratings" ? data.counts.length : data.actual.length;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    var text = source.textContent;
    var chart = window.Chart.getChart(canvas);
    if (chart && drawn.get(canvas) === text) return;
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return;
    }
    var kind = canvas.dataset.chart;
    var points = pointsOf(kind, data);
    if (kind === "trend" && points === 0) return; // the placeholder says the chart comes with the first result
    var config = kind === "ratings" ? ratingsConfig(data) : trendConfig(data);
    if (chart) {
      chart.data = config.data;
      chart.options = config.options;
      chart.update();
    } else {
      new window.Chart(canvas, config);
    }
    drawn.set(canvas, text);
    // Read by people debugging and by the browser tests: what the chart now shows.
    canvas.dataset.points = String(points);
    canvas.dataset.draws = String(Number(canvas.dataset.draws || 0) + 1);
    var box = canvas.closest(".kpi-chart");
    var placeholder = box && box.querySelector(".kpi-chart-placeholder");
    if (placeholder) placeholder.remove();
  }

  function refresh() {
    if (typeof window.Chart === "undefined") return; // no charts; the tables still show the data
    // Charts whose canvas an htmx swap replaced are let go.
    Object.values(window.Chart.instances).forEach(function (chart) {
      if (!chart.canvas || !chart.canvas.isConnected) chart.destroy();
    });
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  // The KPI's JSON arrives out of band with the updated row: redraw after every swap.
  document.addEventListener("htmx:afterSettle", refresh);
  document.addEventListener("htmx:oobAfterSwap", refresh);
})();
