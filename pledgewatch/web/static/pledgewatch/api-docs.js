/* Start Swagger UI on /api/v1/docs from the vendored bundle (no inline script: the page's CSP forbids it). */
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: holder.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
    tryItOutEnabled: false
  });
}());
