// Starts Swagger UI on /docs (a file, not an inline script: the Content-Security-Policy allows no inline script).
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    // no deep links: Swagger UI draws each operation's path as a link inside the button that opens it, a
    // control inside a control that keyboard and screen-reader users cannot reach as such (axe: nested-interactive)
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
