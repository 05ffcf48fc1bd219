// Site search with Pagefind. On every page: "/" focuses the header's search box. On the results
// page (#search-app): searches as you type, with filters, and shows each result's title, date,
// agency, document number and an excerpt with the words found highlighted. Pagefind loads only
// the index chunks and result fragments a query needs.

const root = new URL("../../", import.meta.url); // the site's root, wherever it is deployed
const PAGE_SIZE = 10;

// The index holds Chinese one character per word (generator/outputs/search.py explains why); a query
// is segmented by the same rule and searched as an exact phrase, so 停車場 matches 停車場 and not
// every page with 停 and 車 somewhere. A query the reader split with spaces is searched word by word.
let ideographs = null;

function segment(text) {
  return text.replace(ideographs, " $& ").replace(/\s+/g, " ").trim();
}

function phraseQuery(query) {
  if (!query) return null;
  const words = segment(query);
  return /\s/.test(query.trim()) || !/\s/.test(words) ? words : `"${words}"`;
}

function unsegment(html) {
  // undo the index's spaces around Chinese characters, also across <mark> tags, for display
  const edge = ideographs.source;
  return html.replace(new RegExp(`(${edge})((?:</?mark>)*)\\s+((?:</?mark>)*)(?=${edge}|[0-9])`, "g"), "$1$2$3")
    .replace(new RegExp(`([0-9])((?:</?mark>)*)\\s+((?:</?mark>)*)(?=${edge})`, "g"), "$1$2$3")
    .replace(new RegExp(`(${edge})((?:</?mark>)*)\\s+(?=[，。、；：「」『』（）！？])`, "g"), "$1$2")
    .replace(new RegExp(`([，。、；：「」『』（）！？])\\s+((?:</?mark>)*)(?=${edge})`, "g"), "$1$2")
    .replaceAll("</mark><mark>", ""); // one highlight per phrase, not one per character
}

const TEXT = {
  "zh-Hant": {
    all: "全部",
    found: (n) => `找到 ${n} 筆結果`,
    none: "找不到符合的結果。請換個關鍵字，或減少篩選條件。",
    searching: "搜尋中…",
    error: "搜尋暫時無法使用，請稍後再試，或由網站選單瀏覽。",
  },
  en: {
    all: "All",
    found: (n) => `${n} result${n === 1 ? "" : "s"}`,
    none: "No results. Try other words or fewer filters.",
    searching: "Searching…",
    error: "Search is not available right now. Please try again later, or browse from the menu.",
  },
};

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  const box = document.getElementById("search-query") || document.getElementById("site-search-input");
  if (box) {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (box.offsetParent === null && box.form) { // below 960 px the header's box is folded away: unfold it (a11y.css)
      box.form.classList.add("is-open");
      box.addEventListener("blur", () => box.form.classList.remove("is-open"), { once: true });
    }
    box.focus();
    box.select();
  }
}, true);

const app = document.getElementById("search-app");
if (app) {
  app.classList.add("is-ready"); // the CSS shows the app and hides the page's no-JavaScript text
  startResultsPage(app).catch((error) => {
    console.error(error);
    setStatus(TEXT[app.dataset.language || "zh-Hant"].error);
  });
}

function setStatus(text) {
  document.getElementById("search-status").textContent = text;
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

async function startResultsPage(app) {
  const language = app.dataset.language || "zh-Hant";
  ideographs = new RegExp(`[${app.dataset.ideographs}]`, "gu");
  const text = TEXT[language];
  // [[filter, label, values], …] in display order, written into the page from the content model:
  // asking Pagefind for them (pagefind.filters()) would download its whole filter index first.
  const menus = JSON.parse(app.dataset.filters || "[]");
  const input = document.getElementById("search-query");
  const results = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";

  const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname, excerptLength: 36 });
  await pagefind.init();

  const selected = {};
  for (const [name] of menus) if (params.get(name)) selected[name] = params.get(name);
  const selects = buildFilters(menus, selected, text);

  let shown = [];
  let generation = 0;

  async function run() {
    const query = input.value.trim();
    const filters = Object.fromEntries(Object.entries(selected).filter(([, value]) => value));
    const url = new URL(location.href);
    url.search = new URLSearchParams({ ...(query ? { q: query } : {}), ...filters }).toString();
    history.replaceState(null, "", url);
    const mine = ++generation;
    results.replaceChildren();
    more.hidden = true;
    if (!query && !Object.keys(filters).length) {
      setStatus("");
      return;
    }
    setStatus(text.searching);
    let search = await pagefind.debouncedSearch(phraseQuery(query), { filters }, 200);
    if (search === null || mine !== generation) return; // a newer query took over
    if (query && !search.results.length && phraseQuery(query).startsWith('"')) {
      search = await pagefind.search(segment(query), { filters }); // no exact phrase: any order
      if (mine !== generation) return;
    }
    if (Object.keys(filters).length) updateCounts(selects, search.filters); // counts once filtering is in use
    shown = search.results;
    await showMore(mine);
    if (mine === generation) setStatus(shown.length ? text.found(shown.length) : text.none); // announced once visible
  }

  async function showMore(mine) {
    const start = results.children.length;
    const page = await Promise.all(shown.slice(start, start + PAGE_SIZE).map((result) => result.data()));
    if (mine !== generation) return;
    for (const data of page) results.append(renderResult(data));
    more.hidden = results.children.length >= shown.length;
  }

  input.addEventListener("input", () => run());
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  more.addEventListener("click", () => showMore(generation));
  for (const [name, select] of Object.entries(selects)) {
    select.addEventListener("change", () => {
      selected[name] = select.value;
      run();
    });
  }
  if (!input.value) input.focus();
  await run();
}

function buildFilters(menus, selected, text) {
  const container = document.getElementById("search-filters");
  const selects = {};
  for (const [name, label, values] of menus) {
    if (!values.length) continue;
    const id = `search-filter-${name}`;
    const select = element("select", { id, name });
    select.append(element("option", { value: "" }, [text.all]));
    for (const value of values) {
      const option = element("option", { value }, [value]);
      option.dataset.value = value;
      if (selected[name] === value) option.selected = true;
      select.append(option);
    }
    container.append(element("div", { class: "search-filter" }, [element("label", { for: id }, [label]), select]));
    selects[name] = select;
  }
  return selects;
}

function updateCounts(selects, counts) {
  for (const [name, select] of Object.entries(selects)) {
    for (const option of select.options) {
      if (!option.dataset.value) continue;
      const count = (counts && counts[name] && counts[name][option.dataset.value]) || 0;
      option.textContent = `${option.dataset.value} (${count})`;
    }
  }
}

// Pagefind's excerpt is page text with <mark> around the matches. It is never put into the page as
// HTML: parsed in an inert document (nothing there loads or runs), only its text and its <mark>s
// are rebuilt, so whatever the indexed text holds is shown as text.
function highlighted(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  return Array.from(parsed.childNodes, (node) =>
    node.nodeName === "MARK" ? element("mark", {}, [node.textContent]) : document.createTextNode(node.textContent));
}

function renderResult(data) {
  const meta = data.meta || {};
  const link = element("a", { href: data.url }, [meta.title || data.url]); // the title as written (an attribute, never segmented)
  const details = [meta.date, meta.agency, meta.doc_number, meta.issue, meta.phone].filter(Boolean).join(" · ");
  const item = element("li", { class: "search-result" }, [element("h2", { class: "search-result__title" }, [link])]);
  if (details) item.append(element("p", { class: "search-result__meta" }, [details]));
  const excerpt = element("p", { class: "search-result__excerpt" });
  excerpt.append(...highlighted(unsegment(data.excerpt)));
  item.append(excerpt);
  return item;
}
