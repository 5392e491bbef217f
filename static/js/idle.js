// Idle session notice: SESSION_IDLE_WARNING before the idle timeout a notice offers to continue
// (one request to /accounts/keepalive/ counts as activity); at the timeout it says the session has
// ended. It never reloads the page, so nothing typed is thrown away (the editor saves its own text).
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.dataset.idleTimeout || "0", 10) * 1000;
  var warning = parseInt(body.dataset.idleWarning || "0", 10) * 1000;
  var notice = document.getElementById("hr-idle-notice");
  if (!timeout || !notice) return;
  var text = notice.querySelector("[data-idle-text]");
  var button = notice.querySelector("button");
  var timers = [];

  function schedule() {
    timers.forEach(clearTimeout);
    notice.hidden = true;
    timers = [
      setTimeout(function () {
        text.textContent = notice.dataset.warnText;
        button.hidden = false;
        notice.hidden = false;
      }, Math.max(timeout - warning, 0)),
      setTimeout(function () {
        text.textContent = notice.dataset.endText;
        button.hidden = true;
        notice.hidden = false;
      }, timeout),
    ];
  }

  button.addEventListener("click", function () {
    fetch(notice.dataset.keepalive, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
      if (response.ok) schedule();
    });
  });
  schedule();
})();
