/* The norm tables' export page in the admin (django-import-export): its "Select all"
   box is wired with an inline onchange="", which the Content-Security-Policy blocks.
   Bind the same handler (from import_export/export_selectable_fields.js) here. */
(function () {
  "use strict";
  function bind() {
    if (typeof window.onSelectToggleChange !== "function") { return; }
    document.querySelectorAll("input.select-toggle").forEach(function (box) {
      box.addEventListener("change", window.onSelectToggleChange);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
