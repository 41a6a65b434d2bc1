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

(function () {
  "use strict";
  // The calculation's rows (issue 17). Without this file the server does the same:
  // an empty Godtagen becomes Faktisk, and saving confirms carried-over lines.
  document.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-line]");
    if (!row) { return; }
    // Godtagen follows Faktisk until the caseworker types a Godtagen of their own.
    var actual = row.querySelector("[data-actual] input");
    var accepted = row.querySelector("[data-accepted] input");
    if (accepted && event.target === accepted) { accepted.dataset.mirrored = ""; }
    if (actual && accepted && event.target === actual) {
      // Follows while Godtagen is empty, was filled by following, or equals what
      // Faktisk said before this edit (a carried line accepted in full).
      var before = actual.dataset.last !== undefined ? actual.dataset.last : actual.defaultValue;
      if (accepted.value === "" || accepted.dataset.mirrored === "1" || accepted.value === before) {
        accepted.value = actual.value;
        accepted.dataset.mirrored = "1";
      }
      actual.dataset.last = actual.value;
    }
    // A touched line is no longer "från förra månaden".
    var carried = row.querySelector("input[type=hidden][name$='-carried']");
    if (carried && carried.value !== "False") {
      carried.value = "False";
      row.classList.remove("line--carried");
      var badge = row.querySelector("[data-carried-badge]");
      if (badge) { badge.remove(); }
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("tr[data-line] select")) {
      event.target.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
