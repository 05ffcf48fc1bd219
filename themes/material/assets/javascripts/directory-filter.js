/* The phone directory's instant filter (generator/website/pages/directory.py writes the markup).
 *
 * Every entry is a row with data-tel (the digits of its numbers); rows sit in row groups per unit,
 * inside one section per agency, inside one section per group. Typing narrows the rows to those
 * matching every word typed, in the row itself, its unit or its agency; a query that is a number
 * is matched on digits only, so "2254321", "225-4321" and "(05)225-4321" find the same rows.
 * Without JavaScript there is no box, and the whole directory is shown.
 */
(function () {
  "use strict";

  var EXTENSION = /分機|轉|ext\.?|#/gi;
  var NUMBERISH = /^[\d\s()+\-.,]*\d[\d\s()+\-.,]*$/;

  function normalize(text) {
    return (text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function terms(query) {
    var text = normalize(query);
    if (!text) return [];
    var bare = text.replace(EXTENSION, " ");
    if (NUMBERISH.test(bare)) return [{ text: text, digits: bare.replace(/\D/g, "") }];
    return text.split(" ").map(function (word) {
      var plain = word.replace(EXTENSION, "");
      return { text: word, digits: NUMBERISH.test(plain) ? plain.replace(/\D/g, "") : "" };
    });
  }

  function matches(row, term) {
    if (row.text.indexOf(term.text) >= 0) return true;
    return term.digits !== "" && row.tels.some(function (tel) { return tel.indexOf(term.digits) >= 0; });
  }

  function index(root) {
    var rows = [];
    root.querySelectorAll("[data-dir-agency]").forEach(function (section) {
      var heading = section.querySelector("h3");
      var meta = section.querySelector(".dir-meta");
      var agency = normalize((heading ? heading.textContent : "") + " " + (meta ? meta.textContent : ""));
      section.querySelectorAll("tbody").forEach(function (body) {
        var header = body.querySelector("tr.dir-unit");
        var unit = header ? normalize(header.textContent) : "";
        body.querySelectorAll("tr[data-tel]").forEach(function (tr) {
          rows.push({
            tr: tr, body: body, section: section,
            text: agency + " " + unit + " " + normalize(tr.textContent),
            tels: (tr.getAttribute("data-tel") || "").split(" ").filter(Boolean)
          });
        });
      });
    });
    return rows;
  }

  function show(elements, visible) {
    elements.forEach(function (element) { element.hidden = !visible.has(element); });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  /* The box is built here from the words in its data attributes: a page holds no form controls. */
  function build(box) {
    var input = element("input", {
      id: "dir-filter-input", type: "search", autocomplete: "off", spellcheck: "false",
      placeholder: box.getAttribute("data-placeholder") || "", "aria-describedby": "dir-filter-hint"
    });
    var status = element("p", { "class": "dir-filter-status", role: "status", "aria-live": "polite" });
    box.appendChild(element("label", { "for": "dir-filter-input" }, box.getAttribute("data-label")));
    box.appendChild(input);
    box.appendChild(element("p", { id: "dir-filter-hint", "class": "dir-filter-hint" }, box.getAttribute("data-hint")));
    box.appendChild(status);
    return { input: input, status: status };
  }

  function setup() {
    var box = document.querySelector("[data-dir-filter]");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var controls = build(box);
    var input = controls.input;
    var status = controls.status;
    var content = box.closest("article") || document.body;
    var rows = index(content);
    var bodies = Array.prototype.slice.call(content.querySelectorAll("[data-dir-agency] tbody"));
    var sections = Array.prototype.slice.call(content.querySelectorAll("[data-dir-agency]"));
    var groups = Array.prototype.slice.call(content.querySelectorAll(".dir-group"));
    var timer = null;

    function apply() {
      var wanted = terms(input.value);
      var visible = new Set();
      var count = 0;
      rows.forEach(function (row) {
        var shown = wanted.every(function (term) { return matches(row, term); });
        row.tr.hidden = !shown;
        if (shown) {
          count += 1;
          visible.add(row.body);
          visible.add(row.section);
          visible.add(row.section.closest(".dir-group"));
        }
      });
      show(bodies, visible);
      show(sections, visible);
      show(groups, visible);
      clearTimeout(timer);  // announce once typing pauses, not at every key
      timer = setTimeout(function () {
        if (!wanted.length) status.textContent = "";  // nothing to announce until the reader types
        else if (count) status.textContent = "找到 " + count + " 筆（共 " + rows.length + " 筆）";
        else status.textContent = "沒有符合「" + input.value.trim() + "」的項目";
      }, 250);
    }

    input.addEventListener("input", apply);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) input.value = query;
    apply();
  }

  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // mkdocs-material: runs again after each instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
