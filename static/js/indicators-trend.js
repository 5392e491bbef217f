// Trend chart of one indicator: data from the json_script block "trend-data", drawn with Chart.js.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var palette = ["#1f4e79", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b8860b"];
  var datasets = data.datasets.map(function (ds, i) {
    var colour = palette[i % palette.length];
    return {
      label: ds.label,
      data: ds.data,
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: ds.total ? 3 : 1.5,
      borderDash: ds.total ? [] : [4, 3],
      pointRadius: ds.total ? 4 : 3,
      spanGaps: true,
      tension: 0.1
    };
  });
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: datasets },
    options: {
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { title: { display: !!data.unit, text: data.unit } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
