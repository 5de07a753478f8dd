// Live progress of a campaign: polls its progress URL every two seconds, moves the bar and the counts, and reloads
// the page once the campaign has ended. Markup: an element with data-campaign-progress="URL" holding a <progress>,
// a [data-role=percent], a [data-role=finish] and [data-count=<name>] elements. Without JavaScript the page
// refreshes itself instead (a <meta http-equiv="refresh"> in <noscript>).
(function () {
  "use strict";

  var LIVE = ["scheduled", "running", "paused"];

  function follow(box) {
    var url = box.dataset.campaignProgress;
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-role=percent]");
    var finish = box.querySelector("[data-role=finish]");

    function show(state) {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
      percent.textContent = state.percent + "%";
      if (finish) finish.textContent = state.estimated_finish ? new Date(state.estimated_finish).toLocaleString() : "—";
      var expanded = box.querySelector("[data-count=expanded]");
      if (expanded) expanded.textContent = String(state.expanded);
      Object.keys(state.counts).forEach(function (name) {
        var element = box.querySelector("[data-count=" + name + "]");
        if (element) element.textContent = String(state.counts[name]);
      });
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) return setTimeout(poll, 5000);
          show(state);
          if (LIVE.indexOf(state.state) < 0) return window.location.reload();
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }

    setTimeout(poll, 2000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-campaign-progress]").forEach(follow);
  });
})();
