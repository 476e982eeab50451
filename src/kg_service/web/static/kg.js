// Optional enhancements; every page works without this file.
// 1. Term autocomplete on search boxes (input[data-terms]): suggestions from GET /terms
//    (same origin), arrow keys to move, Enter to pick, Escape to close. Picking a term opens
//    the search filtered by it (and everything narrower).
// 2. Ctrl/Cmd+Enter runs the query on the SPARQL page.
(function () {
  "use strict";
  var FACETS = { ncbitaxon: "organism", go: "go", fbbi: "imaging_method", mesh: "mesh", licenses: "license" };

  function autocomplete(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var form = input.form;
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function pick(term) {
      var facet = FACETS[term.ontology];
      if (!facet) { input.value = term.label; form.submit(); return; }
      var base = form.getAttribute("action");
      window.location.href = base + "?" + encodeURIComponent(facet) + "=" + encodeURIComponent(term.id);
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
    }

    function show(results) {
      list.innerHTML = "";
      items = [];
      results.filter(function (t) { return FACETS[t.ontology]; }).forEach(function (term, i) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = term.label;
        var curie = document.createElement("span");
        curie.className = "curie";
        curie.textContent = term.id;
        li.appendChild(curie);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(term); });
        li.term = term;
        list.appendChild(li);
        items.push(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function lookup() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var mine = ++seq;
      fetch(input.getAttribute("data-terms") + "?limit=8&q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" }
      }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) { if (mine === seq) { show(body.results || []); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, -1)); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(items[active].term); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  function shortcuts(textarea) {
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        textarea.form.submit();
      }
    });
  }

  document.querySelectorAll("input[data-terms]").forEach(autocomplete);
  document.querySelectorAll("textarea#query").forEach(shortcuts);
})();
