/* dualuse: small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function ready() {
    // wide screens: the menu is open (the "Menu" button only shows on narrow ones)
    var menu = document.getElementById("menu");
    var wide = window.matchMedia("(min-width: 48em)");
    function fit() { if (menu) { menu.open = wide.matches; } }
    fit();
    if (wide.addEventListener) { wide.addEventListener("change", fit); }
    // GOV.UK pattern: the error summary takes the focus, so a screen reader reads it first
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
})();
