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

(function () {
  "use strict";
  // Live countdowns to deadlines: <time data-countdown datetime="…">. The server renders
  // the same text, so the page is right without JavaScript too.
  function span(seconds) {
    var minutes = Math.floor(Math.max(seconds, 0) / 60);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    if (days) { return days + " d " + hours + " h"; }
    if (hours) { return hours + " h " + minutes + " min"; }
    return minutes + " min";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var seconds = Math.round((Date.parse(el.getAttribute("datetime")) - now) / 1000);
      el.textContent = seconds < 0 ? "försenad " + span(-seconds) : "om " + span(seconds);
      el.classList.toggle("countdown--overdue", seconds < 0);
    });
  }
  tick();
  setInterval(tick, 30000);
  document.addEventListener("htmx:afterSettle", tick);
})();
