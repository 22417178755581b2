/* Render the Vega-Lite charts of a page. Without JavaScript the tables under each chart carry the data. */
(function () {
  "use strict";
  /* Keep filter addresses short: empty fields are left out of the query string. */
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (!field.value) { field.disabled = true; }
      });
    });
  });
  var node = document.getElementById("chart-specs");
  if (!node || typeof vegaEmbed === "undefined") { return; }
  var specs = JSON.parse(node.textContent);
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = specs[el.getAttribute("data-chart")];
    if (!spec) { return; }
    vegaEmbed(el, spec, {actions: false, renderer: "svg", tooltip: {theme: "light"},
                         formatLocale: lang === "ru" ? {decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", ""]} : undefined})
      .then(function (result) {
        el.classList.add("rendered");
        el.dataset.rendered = "true";
        window.pledgewatchCharts = window.pledgewatchCharts || {};
        window.pledgewatchCharts[el.getAttribute("data-chart")] = result.view;
      })
      .catch(function (err) { el.dataset.error = String(err); });
  });
})();
