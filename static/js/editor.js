// The clerk's editor. Everything works without this file (plain form posts); it adds:
// - a warning when leaving the page with unsaved changes (beforeunload),
// - an "unsaved" mark on the section being edited, and growing text areas,
// - a confirmation before deleting a section,
// - a live hint when a figure is outside the indicator's usual range.
(function () {
  "use strict";
  var dirty = new Set();
  var submitting = false;

  function markDirty(form) {
    dirty.add(form);
    var section = form.closest(".hr-section");
    if (section) section.classList.add("hr-dirty");
  }

  function markClean(form) {
    dirty.delete(form);
    var section = form.closest(".hr-section");
    if (section) section.classList.remove("hr-dirty");
  }

  document.body.classList.add("hr-js");
  document.querySelectorAll("form[data-dirty-watch]").forEach(function (form) {
    form.addEventListener("input", function () { markDirty(form); });
    form.addEventListener("submit", function (event) {
      if (form.classList.contains("hr-section-form") && window.fetch && !form.dataset.fullPage) {
        event.preventDefault();
        saveInPlace(form);
        return;
      }
      submitting = true;
      markClean(form);
    });
  });

  // A section saves in place (the page keeps its scroll position and the other sections' edits).
  // A refusal (conflict, empty heading, ...) falls back to the full-page submit, whose answer shows
  // the other person's text with the clerk's own text kept in the form.
  function saveInPlace(form) {
    var button = form.querySelector(".hr-save");
    var status = form.querySelector(".hr-save-status");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      form.querySelector("input[name$='-version']").value = data.version;
      markClean(form);
      if (status) status.textContent = data.status;
      var link = document.querySelector(".hr-outline-list a[href='#" + form.closest(".hr-section").id + "'] .hr-heading-text");
      if (link) link.textContent = data.heading;
      if (button) button.disabled = false;
    }).catch(function () {
      form.dataset.fullPage = "1";
      submitting = true;
      dirty.delete(form);
      form.submit();
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size === 0) return;
    if (submitting && dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // A structural action (move, delete, ...) reloads the page: other sections' unsaved text would be
  // lost, so the beforeunload warning stays armed for them; the acting form itself is not dirty.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // Text areas grow with their text.
  function grow(area) { area.style.height = "auto"; area.style.height = (area.scrollHeight + 2) + "px"; }
  document.querySelectorAll("textarea.hr-body-input").forEach(function (area) {
    grow(area);
    area.addEventListener("input", function () { grow(area); });
  });

  // Ctrl+S / Cmd+S saves the section being edited.
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      var form = document.activeElement && document.activeElement.closest("form[data-dirty-watch]");
      if (form) { event.preventDefault(); form.requestSubmit(); }
    }
  });

  // Figures: a gentle live hint for values outside the usual range (the server decides on save).
  function toNumber(text) {
    text = (text || "").normalize("NFKC").replace(/[,，\s%‰]/g, "");
    return text === "" || isNaN(Number(text)) ? null : Number(text);
  }
  document.querySelectorAll("input[data-min], input[data-max]").forEach(function (input) {
    input.addEventListener("input", function () {
      var v = toNumber(input.value);
      var min = input.dataset.min === "" ? null : Number(input.dataset.min);
      var max = input.dataset.max === "" ? null : Number(input.dataset.max);
      var out = v !== null && ((min !== null && v < min) || (max !== null && v > max));
      input.classList.toggle("is-warning", out);
    });
  });
})();

// After a refused save the page comes back with the problem marked: bring it into view.
(function () {
  "use strict";
  var problem = document.querySelector(".hr-conflict, .hr-grid .is-invalid, .hr-section .text-danger");
  if (problem) problem.scrollIntoView({ block: "center" });
})();

// A section just added carries the placeholder heading: put the cursor there to name it.
(function () {
  "use strict";
  var paper = document.querySelector(".hr-paper[data-new-heading]");
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (!paper || !target) return;
  var input = target.querySelector("input.hr-heading-input");
  if (input && input.value === paper.dataset.newHeading) { input.focus(); input.select(); }
})();
