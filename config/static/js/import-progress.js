// Progress of a contact import: polls the import's progress URL every second, moves the bar and the counts, and
// reloads the page (which then shows the result) once the import has ended. Markup: an element with
// data-import-progress="URL" holding a <progress>, a [data-role=percent] and [data-count=<name>] elements. Without
// JavaScript the page refreshes itself instead (a <meta http-equiv="refresh"> in <noscript>).
(function () {
  "use strict";

  var COUNTS = ["total_rows", "imported", "updated", "rejected"];

  function follow(box) {
    var url = box.dataset.importProgress;
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-role=percent]");

    function show(state) {
      bar.value = state.progress;
      bar.textContent = state.progress + "%";
      percent.textContent = state.progress + "%";
      COUNTS.forEach(function (name) {
        var element = box.querySelector("[data-count=" + name + "]");
        if (element) element.textContent = String(state[name]);
      });
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) return setTimeout(poll, 3000);
          show(state);
          if (state.finished) return window.location.reload();
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }

    setTimeout(poll, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-import-progress]").forEach(follow);
  });
})();
