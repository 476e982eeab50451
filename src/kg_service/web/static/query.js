// The SPARQL page's editor: YASGUI (bundled at install time, served by this service) over the
// plain form, which stays the page for browsers without JavaScript. Nothing here talks to
// another host: prefixes come from this service (/query/prefixes.json), class and property
// completion from the endpoint's own VoID statistics, results from /sparql.
(function () {
  "use strict";
  var mount = document.getElementById("editor");
  var lib = window.Yasgui;
  if (!mount || !lib) { return; }
  var Yasgui = lib.default || lib;
  var Yasqe = Yasgui.Yasqe;
  var endpoint = mount.getAttribute("data-endpoint");
  var page = mount.getAttribute("data-page");
  var form = document.querySelector("form.editor");
  var textarea = document.getElementById("query");
  var answer = document.querySelector("section.answer");
  var downloads = form.querySelectorAll("a[data-format]");
  var VOID = "http://rdfs.org/ns/void#";

  // class and property names the endpoint holds, read once from its VoID description
  function fromVoid(predicate) {
    return function () {
      var query = "SELECT DISTINCT ?iri WHERE { [] <" + VOID + predicate + "> ?iri } ORDER BY ?iri";
      return fetch(endpoint + "?query=" + encodeURIComponent(query), {
        headers: { Accept: "application/sparql-results+json" }
      }).then(function (response) { return response.ok ? response.json() : { results: { bindings: [] } }; })
        .then(function (body) { return body.results.bindings.map(function (b) { return b.iri.value; }); })
        .catch(function () { return []; });
    };
  }
  Yasqe.forkAutocompleter("class", { name: "kg-class", bulk: true, get: fromVoid("class"), persistenceId: null }, false);
  Yasqe.forkAutocompleter("property", { name: "kg-property", bulk: true, get: fromVoid("property"), persistenceId: null }, false);

  mount.hidden = false;  // CodeMirror measures its box when it starts: show it first
  function shareLink(query) { return page + "?query=" + encodeURIComponent(query); }

  var yasgui = new Yasgui(mount, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: {
      persistenceId: null,
      prefixCcApi: mount.getAttribute("data-prefixes"),
      autocompleters: ["prefixes", "variables", "kg-class", "kg-property"],
      createShareableLink: function (yasqe) { return shareLink(yasqe.getValue()); },
      screenReaderLabel: "SPARQL query",
      resizeable: true,
      editorHeight: "22rem"
    },
    yasr: { persistenceId: null }
  });
  var tab = yasgui.getTab();
  var yasqe = tab.getYasqe();
  yasqe.setValue(textarea.value);

  // the page's URL is the query's shareable URL; the download links follow the query
  function follow(query) {
    downloads.forEach(function (link) {
      link.href = endpoint + "?query=" + encodeURIComponent(query) + "&format=" + encodeURIComponent(link.getAttribute("data-format"));
    });
  }
  yasqe.on("change", function () { textarea.value = yasqe.getValue(); follow(yasqe.getValue()); });
  yasgui.on("query", function () { window.history.replaceState(null, "", shareLink(yasqe.getValue())); });

  // examples load into the editor (and run, unless they call other endpoints)
  document.querySelectorAll("nav.examples a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      document.querySelectorAll("nav.examples a[aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
      link.setAttribute("aria-current", "true");
      yasqe.setValue(link.getAttribute("data-query"));
      window.history.replaceState(null, "", page + "?example=" + encodeURIComponent(link.getAttribute("data-example")));
      if (link.getAttribute("data-federated") !== "yes") { tab.query(); }
      yasqe.focus();
    });
  });

  // names for the controls YASGUI leaves unlabelled (screen readers, axe-core), also for
  // those it draws later (the result table's page-size menu, filters)
  var NAMES = { "input.autocomplete": "SPARQL endpoint", "select.tableSizer": "Rows per page" };
  function label() {
    Object.keys(NAMES).forEach(function (selector) {
      mount.querySelectorAll(selector + ":not([aria-label])").forEach(function (el) { el.setAttribute("aria-label", NAMES[selector]); });
    });
    mount.querySelectorAll("input:not([aria-label]), select:not([aria-label])").forEach(function (el) {
      var text = el.getAttribute("placeholder") || el.getAttribute("title") || el.getAttribute("name");
      if (text && !el.labels.length) { el.setAttribute("aria-label", text); }
    });
  }
  label();
  new MutationObserver(label).observe(mount, { childList: true, subtree: true });

  // the editor replaces the plain form; its download links stay below it
  form.classList.add("enhanced");
  mount.after(form);
  yasqe.refresh();
  if (answer) { answer.hidden = true; }
  if (mount.getAttribute("data-run") === "yes") { tab.query(); }
})();
