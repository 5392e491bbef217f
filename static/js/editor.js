// The clerk's editor. Everything works without this file (plain form posts); it adds:
// - a warning when leaving the page with unsaved changes (beforeunload),
// - an "unsaved" mark on the section being edited, and growing text areas,
// - saving in place, and autosaving a section after a pause in typing (same optimistic version:
//   a conflict is shown, never overwritten),
// - each section's unsaved text kept in this browser (localStorage, keyed by report, section and
//   version) and offered back after a reload or a new log-in,
// - a save with an expired session: the text stays, the clerk logs in in a new tab and saves again,
// - 字数 per section and for the whole report,
// - a confirmation before deleting a section,
// - a live hint when a figure is outside the indicator's usual range.
(function () {
  "use strict";
  var dirty = new Set();
  var submitting = false;
  var paper = document.querySelector(".hr-paper[data-report]");
  var msg = paper ? paper.dataset : {};
  var AUTOSAVE_MS = 3000;

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

  // ----- drafts kept in the browser ----------------------------------------------------------------
  function field(form, suffix) { return form.querySelector("[name$='-" + suffix + "']"); }
  function draftPrefix(form) { return "hr-draft:" + msg.report + ":" + form.dataset.section + ":"; }
  function store() { try { return window.localStorage; } catch (e) { return null; } }

  function draftKeep(form) {
    var ls = store();
    if (!ls || !form.dataset.section) return;
    try {
      ls.setItem(draftPrefix(form) + field(form, "version").value, JSON.stringify({
        heading: field(form, "heading").value, body: field(form, "body").value, at: new Date().toISOString()
      }));
    } catch (e) { /* storage full or disabled: the beforeunload warning still guards the text */ }
  }

  function draftDrop(form) {
    var ls = store();
    if (!ls || !form.dataset.section) return;
    var prefix = draftPrefix(form);
    for (var i = ls.length - 1; i >= 0; i--) {
      var key = ls.key(i);
      if (key && key.indexOf(prefix) === 0) ls.removeItem(key);
    }
  }

  // The newest draft of this section that differs from what the page shows, as {version, heading, body, at}.
  function draftFind(form) {
    var ls = store();
    if (!ls || !form.dataset.section) return null;
    var prefix = draftPrefix(form), found = null;
    for (var i = 0; i < ls.length; i++) {
      var key = ls.key(i);
      if (!key || key.indexOf(prefix) !== 0) continue;
      try {
        var d = JSON.parse(ls.getItem(key));
        d.version = key.slice(prefix.length);
        if (!found || d.at > found.at) found = d;
      } catch (e) { ls.removeItem(key); }
    }
    if (found && found.heading === field(form, "heading").value && found.body === field(form, "body").value) {
      draftDrop(form);
      return null;
    }
    return found;
  }

  function draftOffer(form) {
    var draft = draftFind(form);
    var template = document.querySelector("template.hr-draft-offer");
    if (!draft || !template) return;
    var offer = template.content.firstElementChild.cloneNode(true);
    var when = new Date(draft.at);
    var span = offer.querySelector("span");
    span.textContent = span.textContent.replace("{time}", isNaN(when) ? "" : when.toLocaleString());
    offer.querySelector(".hr-draft-restore").addEventListener("click", function () {
      field(form, "heading").value = draft.heading;
      field(form, "body").value = draft.body;
      // Saved against the version it was typed on: if someone saved since, the server says so.
      field(form, "version").value = draft.version;
      offer.remove();
      grow(field(form, "body"));
      changed(form);
    });
    offer.querySelector(".hr-draft-discard").addEventListener("click", function () {
      draftDrop(form);
      offer.remove();
    });
    form.parentNode.insertBefore(offer, form);
  }

  // ----- 字数 -------------------------------------------------------------------------------------
  function charCount(text) { return (text || "").replace(/\s/g, "").length; }
  function counts() {
    var total = 0;
    document.querySelectorAll("form.hr-section-form").forEach(function (form) {
      var n = charCount(field(form, "heading").value) + charCount(field(form, "body").value);
      total += n;
      var out = form.querySelector(".hr-count");
      if (out && msg.msgCount) out.textContent = msg.msgCount.replace("{n}", n);
    });
    var sum = document.querySelector(".hr-total-count");
    if (sum && msg.msgTotal) sum.textContent = msg.msgTotal.replace("{n}", total);
  }

  // ----- saving -------------------------------------------------------------------------------------
  function changed(form) {
    markDirty(form);
    counts();
    clearTimeout(form._draftTimer);
    form._draftTimer = setTimeout(function () { draftKeep(form); }, 300);
    clearTimeout(form._autoTimer);
    if (!form.dataset.conflict) {
      form._autoTimer = setTimeout(function () { saveInPlace(form); }, AUTOSAVE_MS);
    }
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  // A log-in in another tab gives a new CSRF token (cookie): use it in every form of this page.
  function refreshCsrf() {
    var token = csrfToken();
    if (!token) return;
    document.querySelectorAll("input[name='csrfmiddlewaretoken']").forEach(function (input) { input.value = token; });
  }

  var sessionAlert = document.querySelector(".hr-session-alert");
  function sessionLost(loginUrl) {
    if (!sessionAlert) return;
    if (loginUrl) sessionAlert.querySelector(".hr-login-link").href = loginUrl;
    sessionAlert.hidden = false;
    sessionAlert.scrollIntoView({ block: "nearest" });
  }
  if (sessionAlert) {
    sessionAlert.querySelector(".hr-retry").addEventListener("click", function () {
      sessionAlert.hidden = true;
      dirty.forEach(function (form) { saveInPlace(form); });
    });
  }

  document.body.classList.add("hr-js");
  document.querySelectorAll("form[data-dirty-watch]").forEach(function (form) {
    var inPlace = form.classList.contains("hr-section-form") && window.fetch;
    form.addEventListener("input", function () { if (inPlace) changed(form); else markDirty(form); });
    form.addEventListener("submit", function (event) {
      if (inPlace && !form.dataset.fullPage) {
        event.preventDefault();
        saveInPlace(form);
        return;
      }
      submitting = true;
      markClean(form);
    });
    if (inPlace) draftOffer(form);
  });
  counts();

  // A section saves in place (the page keeps its scroll position and the other sections' edits).
  // A conflict is shown on the section; the clerk's next save then goes as a full-page submit,
  // whose answer shows the other person's text beside the clerk's own.
  function saveInPlace(form) {
    clearTimeout(form._autoTimer);
    if (form._saving) { form._again = true; return; }
    if (form.dataset.conflict) { fullPage(form); return; }
    var button = form.querySelector(".hr-save");
    var status = form.querySelector(".hr-save-status");
    var sent = field(form, "heading").value + "\u0000" + field(form, "body").value;
    refreshCsrf();
    draftKeep(form);
    form._saving = true;
    if (button) button.disabled = true;
    if (status && msg.msgSaving) status.textContent = msg.msgSaving;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      var data = answer.data;
      if (answer.status === 401) {
        if (status) status.textContent = data.error || "";
        sessionLost(data.login_url);
        return;
      }
      if (answer.status === 409) {
        form.dataset.conflict = "1";
        form.closest(".hr-section").classList.add("hr-conflict");
        if (status) status.textContent = data.error || "";
        if (button && msg.msgConflictButton) button.textContent = msg.msgConflictButton;
        return;
      }
      if (answer.status !== 200) {
        if (status) status.textContent = data.error || msg.msgOffline || "";
        return;
      }
      field(form, "version").value = data.version;
      var now = field(form, "heading").value + "\u0000" + field(form, "body").value;
      if (now === sent) {
        // What was typed is what was saved: show the stored (tidied) text and forget the draft.
        field(form, "body").value = data.body;
        grow(field(form, "body"));
        draftDrop(form);
        markClean(form);
      } else {
        draftDrop(form);
        draftKeep(form);  // typed on while saving: keep that under the new version, save it later
        form._again = true;
      }
      counts();
      if (status) status.textContent = data.status;
      var link = document.querySelector(".hr-outline-list a[href='#" + form.closest(".hr-section").id + "'] .hr-heading-text");
      if (link) link.textContent = data.heading;
    }).catch(function () {
      if (status && msg.msgOffline) status.textContent = msg.msgOffline;
    }).then(function () {
      form._saving = false;
      if (button) button.disabled = false;
      if (form._again) { form._again = false; saveInPlace(form); }
    });
  }

  function fullPage(form) {
    form.dataset.fullPage = "1";
    submitting = true;
    dirty.delete(form);
    refreshCsrf();
    form.submit();
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
  document.querySelectorAll("textarea.hr-body-input, textarea.hr-title-input").forEach(function (area) {
    grow(area);
    area.addEventListener("input", function () { grow(area); });
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll("textarea.hr-body-input, textarea.hr-title-input").forEach(grow);
  });
  // The title is one line that wraps: Enter saves it, as in a text field.
  document.querySelectorAll("textarea.hr-title-input").forEach(function (area) {
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) { event.preventDefault(); area.form.requestSubmit(); }
    });
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
