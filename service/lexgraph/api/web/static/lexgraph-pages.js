// lexgraph web pages: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Table filters: an <input data-filter-target="selector"> hides rows that do not contain
  // the typed text. The box is hidden in the HTML and shown only when this script runs.
  function setUpFilters() {
    document.querySelectorAll("input[data-filter-target]").forEach(function (input) {
      var box = input.closest(".filter-box");
      if (box) { box.hidden = false; }
      input.addEventListener("input", function () {
        var needle = input.value.trim().toLowerCase();
        document.querySelectorAll(input.getAttribute("data-filter-target")).forEach(function (row) {
          row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) === -1;
        });
      });
    });
  }

  // A link to a highlighted passage (…?hl=START-END#hl) moves keyboard focus there, so the
  // next Tab continues from the passage rather than from the top of the page.
  function focusTarget() {
    var target = window.location.hash === "#hl" ? document.getElementById("hl") : null;
    if (target) { target.focus({ preventScroll: false }); }
  }

  // The skip link moves focus to <main> (scrolling alone leaves focus behind in some browsers).
  function setUpSkipLink() {
    var skip = document.querySelector(".skip-link");
    var main = document.getElementById("main");
    if (!skip || !main) { return; }
    skip.addEventListener("click", function () { main.focus(); });
  }

  function start() {
    setUpFilters();
    setUpSkipLink();
    focusTarget();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
