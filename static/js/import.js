// Text import preview: unticking a section greys it out and unticks its figures; a figure row
// highlights its place in the outline. The form works the same without this script.
(function () {
  "use strict";
  const outline = document.querySelector(".hr-import-outline");
  if (!outline) return;
  const figureBox = (index) => document.getElementById("figure-" + index);
  outline.addEventListener("change", function (event) {
    const box = event.target;
    if (!box.classList.contains("hr-section-box")) return;
    const node = box.closest(".hr-import-node") || outline;
    if (node !== outline) node.classList.toggle("hr-off", !box.checked);
    const scope = node === outline ? box.parentElement.parentElement : node;
    scope.querySelectorAll("mark.hr-figure").forEach(function (mark) {
      if (node === outline && mark.closest(".hr-import-node")) return;
      const fig = figureBox(mark.dataset.figure);
      if (fig) { fig.checked = box.checked; mark.classList.toggle("hr-off", !box.checked); }
    });
    if (node !== outline) {
      node.querySelectorAll(".hr-section-box").forEach(function (inner) { inner.checked = box.checked; });
    }
  });
  document.querySelectorAll(".hr-figure-row").forEach(function (row) {
    const mark = document.getElementById("fig-" + row.dataset.figure);
    if (!mark) return;
    row.addEventListener("mouseenter", function () { mark.classList.add("hr-active"); });
    row.addEventListener("mouseleave", function () { mark.classList.remove("hr-active"); });
    row.querySelector("input").addEventListener("change", function (event) {
      mark.classList.toggle("hr-off", !event.target.checked);
    });
  });
})();
