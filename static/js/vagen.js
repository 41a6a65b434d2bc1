/* Vägen – small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // When the idle timeout has passed, reload: the server then ends the session and
  // shows the login page, so case data does not stay on an unattended screen.
  var minutes = parseInt(document.body.dataset.idleTimeoutMinutes || "", 10);
  if (!minutes) { return; }
  var timer = null;
  function arm() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { window.location.reload(); }, minutes * 60 * 1000 + 5000);
  }
  document.addEventListener("htmx:afterRequest", arm);
  arm();
})();
