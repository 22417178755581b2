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
  /* Month and day names on time axes in the page's language (d3-time-format locale definitions). */
  var timeLocales = {
    ja: {dateTime: "%Y/%m/%d %H:%M:%S", date: "%Y/%m/%d", time: "%H:%M:%S", periods: ["午前", "午後"],
         days: ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"],
         shortDays: ["日", "月", "火", "水", "木", "金", "土"],
         months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
         shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]},
    ru: {dateTime: "%A, %e %B %Y г. %X", date: "%d.%m.%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
         days: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
         shortDays: ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
         months: ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                  "октябрь", "ноябрь", "декабрь"],
         shortMonths: ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]}
  };
  var numberLocales = {ru: {decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", ""]}};
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = specs[el.getAttribute("data-chart")];
    if (!spec) { return; }
    /* ast + expressionInterpreter: Vega evaluates expressions without `new Function`, so the pages'
       Content-Security-Policy needs no 'unsafe-eval'. */
    vegaEmbed(el, spec, {actions: false, renderer: "svg", tooltip: {theme: "light"},
                         ast: true, expr: vega.expressionInterpreter,
                         timeFormatLocale: timeLocales[lang], formatLocale: numberLocales[lang]})
      .then(function (result) {
        el.classList.add("rendered");
        el.dataset.rendered = "true";
        window.pledgewatchCharts = window.pledgewatchCharts || {};
        window.pledgewatchCharts[el.getAttribute("data-chart")] = result.view;
      })
      .catch(function (err) { el.dataset.error = String(err); });
  });
})();
