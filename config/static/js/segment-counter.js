// Live segment counter under compose boxes. The count comes from the server's calculator, so the browser
// and the API always agree. Markup: <textarea data-segment-counter="URL"> followed by a .segment-counter div,
// in a form with {% csrf_token %}; a form marked data-no-submit (a calculator, not a send) is never submitted.
(function () {
  "use strict";

  // The CSRF cookie is HttpOnly: the token comes from the form's {% csrf_token %} field.
  function csrfToken(textarea) {
    const field = (textarea.form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function describe(report) {
    const parts = [
      report.characters + " characters",
      report.encoding,
      report.segments + (report.segments === 1 ? " segment" : " segments"),
    ];
    if (report.exceeds_max_body) parts.push("over the 1,600-character limit");
    return parts.join(" · ");
  }

  function forcingText(report) {
    if (!report.forcing_ucs2.length) return "";
    const items = report.forcing_ucs2.map(function (item) {
      return item.replacement === null ? "“" + item.character + "”" : "“" + item.character + "” → “" + item.replacement + "”";
    });
    return "UCS-2 because of: " + items.join(", ");
  }

  function attach(textarea) {
    const url = textarea.dataset.segmentCounter;
    const output = textarea.parentElement.querySelector(".segment-counter");
    const smart = textarea.form ? textarea.form.querySelector("[data-smart-encoding]") : null;
    let timer = null;
    let sequence = 0;

    function refresh() {
      const mine = ++sequence;
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(textarea) },
        body: JSON.stringify({ body: textarea.value, smart_encoding: smart ? smart.checked : false }),
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (report) {
          if (!report || mine !== sequence) return;  // a newer keystroke already asked
          output.querySelector("[data-role=summary]").textContent = describe(report);
          output.querySelector("[data-role=forcing]").textContent = forcingText(report);
          output.dataset.segments = String(report.segments);
          output.dataset.encoding = report.encoding;
        });
    }

    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    }

    if (textarea.form && textarea.form.hasAttribute("data-no-submit")) {
      textarea.form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
    textarea.addEventListener("input", schedule);
    if (smart) smart.addEventListener("change", schedule);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-segment-counter]").forEach(attach);
  });
})();
