// Reporting rates by level (issue 16): data from the json_script block "rates-data", drawn with Chart.js.
(function () {
  "use strict";
  var canvas = document.getElementById("rates-chart");
  var source = document.getElementById("rates-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var palette = ["#1f4e79", "#2e8b57", "#d9822b", "#c0392b"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (ds, i) {
        return { label: ds.label, data: ds.data, backgroundColor: palette[i % palette.length] };
      })
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
