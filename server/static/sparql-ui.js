// vnkg: the SPARQL page — YASGUI (from npm, served from /static/vendor) pointed at our own /sparql,
// preloaded with the project's prefixes and example queries. Nothing outside this site is contacted.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("yasgui");
    const cfgEl = document.getElementById("sparql-config");
    if (!el || !cfgEl || typeof window.Yasgui === "undefined") return;
    const cfg = JSON.parse(cfgEl.textContent);
    const endpoint = new URL(cfg.endpoint, window.location.href).toString();
    // the PREFIX lines a query needs, from the project's prefixes
    function withPrefixes(query) {
      const used = Object.keys(cfg.prefixes).filter(function (p) {
        return new RegExp("(^|[^\\w:])" + p + ":").test(query);
      });
      return used.map(function (p) { return "PREFIX " + p + ": <" + cfg.prefixes[p] + ">"; }).join("\n") + "\n\n" + query;
    }

    const Yasgui = window.Yasgui;
    const yasgui = new Yasgui(el, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: "vnkg-yasgui",
      // only completers that work offline: no prefix.cc, no Linked Open Vocabularies
      // typing "vnkg:" declares the prefix: completions come from our own /api/prefixes
      yasqe: { autocompleters: ["prefixes", "variables"], prefixCcApi: new URL(cfg.prefixes_api, window.location.href).toString(), resizeable: true, editorHeight: "320px" },
      yasr: { prefixes: cfg.prefixes },
    });
    window.vnkgYasgui = yasgui;

    function current() { return yasgui.getTab(); }

    function show(query) {
      const tab = current();
      tab.setEndpoint(endpoint);
      tab.setQuery(withPrefixes(query));
    }

    const tab = current();
    tab.setEndpoint(endpoint);
    const text = tab.getQuery() || "";
    if (!text.trim() || /\?sub \?pred \?obj/.test(text)) show(cfg.examples[0].query);

    document.querySelectorAll("button.example").forEach(function (button) {
      button.addEventListener("click", function () {
        const ex = cfg.examples[Number(button.dataset.index)];
        if (ex) show(ex.query);
      });
    });
  });
})();
