// lexgraph query page: starts YASGUI against this server's /sparql and wires the named queries.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("lexgraph-config").textContent);
  function start() {
    if (typeof Yasgui === "undefined") { return; }
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: config.endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      persistenceId: null
    });
    var buttons = document.querySelectorAll("button[data-example]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var example = config.examples[Number(button.getAttribute("data-example"))];
        var tab = yasgui.getTab();
        tab.setQuery(example.query);
        tab.setName(example.title);
      });
    });
    if (config.examples.length > 0 && yasgui.getTab().getQuery().trim() === "") {
      yasgui.getTab().setQuery(config.examples[0].query);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
