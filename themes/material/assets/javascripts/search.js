// Site search with Pagefind. On every page: "/" focuses the header's search box. On the results
// page (#search-app): searches as you type, with filters, a year range and a sort, and shows each
// result's title, date, agency, document number and summary with the query highlighted. Pagefind
// loads only the index chunks and result fragments a query needs.

const root = new URL("../../", import.meta.url); // the site's root, wherever it is deployed
const PAGE_SIZE = 10;

// How Chinese is indexed (generator/outputs/search.py explains it): variant characters folded by one
// table, then each run of Han characters as overlapping bigrams and its last character, a break word
// between two runs that only punctuation or spaces part. A query is cut the same way; each
// space-separated part is an exact phrase of those words, all parts required.
let ideographs = null; // a character class, from the page
let folding = new Map();
let BREAK = "·"; // the break word (the page's data-break: generator/outputs/search.py, BREAK)
let sizes = null; // the index's large chunks, once asked for (chunkSizes())
let lone = null; // the words with a lone key, once asked for (loneWords())
let cap = 0; // a word's positions kept per page (the page's data-positions; 0: all): see occurrences()
let piece = 1000; // the words of a piece of a capped page's text (data-text-piece)
let lonePositions = 3; // a lone key's positions per page (data-lone-positions): see anchored()
const pieces = new Map(); // a piece of a capped page's text, by "id.n", once fetched (textPiece())

function fold(text) {
  let out = "";
  for (const character of text) {
    const code = character.codePointAt(0);
    const ascii = code >= 0xff10 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : "";
    out += folding.get(character) ?? (/[0-9A-Za-z]/.test(ascii) ? ascii : character);
  }
  return out;
}

function words(text) {
  const out = [];
  const token = new RegExp(`(${ideographs}+)|([^\\s${ideographs.slice(1, -1)}]+)`, "gu");
  let afterHan = false; // the last word ends a run, nothing but punctuation or spaces since
  for (const [, han, other] of fold(text).matchAll(token)) {
    if (other) {
      if (/[\p{L}\p{N}]/u.test(other)) {
        out.push(other);
        afterHan = false;
      }
      continue;
    }
    if (afterHan) out.push(BREAK);
    const run = Array.from(han);
    for (let i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
    out.push(run[run.length - 1]);
    afterHan = true;
  }
  return out;
}

// A query part's words as the index holds them where the part occurs: a run of Han characters that
// ends inside the part ends in the page too (its last character is a word there); one that ends
// the part may go on in the page, so its last character is left out.
function phraseWords(part) {
  const all = words(part);
  const han = new RegExp(`${ideographs}$`, "u");
  return all.length > 1 && han.test(fold(part)) && Array.from(all[all.length - 1]).length === 1 ? all.slice(0, -1) : all;
}

let text = null; // the page's words (generator/labels/search.yml, "script")

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

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
    setStatus(text ? text.error : "");
  });
}

function setStatus(message) {
  document.getElementById("search-status").textContent = message;
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

async function openIndex(indexLanguage) {
  const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname });
  // Pagefind opens the index of the page's language, read from <html lang> when it starts; the
  // Chinese index is named for what it holds (generator/outputs/search.py, INDEX_LANGUAGE), so the
  // page names it for that one synchronous moment and gets its own language back at once.
  const html = document.documentElement;
  const language = html.getAttribute("lang");
  html.setAttribute("lang", indexLanguage);
  let ready;
  try {
    ready = pagefind.init();
  } finally {
    html.setAttribute("lang", language);
  }
  await ready;
  return pagefind;
}

// Index chunks much larger than the usual one ({typical, large: [[from, to, bytes], …], piece}, written by
// the search stage: generator/outputs/search_transfer.py): a common word (公司, 有限) has a chunk of its
// own holding every place it occurs, up to 20 times the usual one; `piece` is the usual size of a piece
// of a page's text (absent: nothing is left to the texts). Fetched once, and only for a query with a
// part that may be looked up by some of its words (sized()); it guides which words are fetched and when
// (plan(), anchored(), occurrences()), nothing else (a missing or stale copy makes a query cost more,
// never find other pages).
function chunkSizes(index) {
  sizes ??= fetch(new URL("pagefind/large-chunks.json", root))
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((all) => all[index.toLowerCase()] || { typical: 1, large: [] });
  return sizes;
}

// The words that fill an index chunk alone (第, 規定) and so have a lone key besides: "0第", their pages
// with at most 3 positions each (generator/outputs/pagefind_bundle.py, LONE_PREFIX), a small chunk
// where the word's own holds every position (第: 99 -> 11 KB at 10,108 notices). A part that is one
// such word alone is asked for by its key (plan()): its pages and ranking need no more positions. A
// missing list (a bundle indexed in one run has none) makes every word asked for as itself.
function loneWords(index) {
  lone ??= fetch(new URL("pagefind/lone-words.json", root))
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((all) => new Set(all[index.toLowerCase()] || []));
  return lone;
}

// Whether a query part (its words) may be asked for by a lone key: one word of Han characters.
function lonely(part) {
  return part.length === 1 && new RegExp(`^${ideographs}+$`, "u").test(part[0]);
}

// The bytes of the index chunk holding `word`: a large chunk's (large-chunks.json), else the usual. A
// range is cut to the shortest prefixes that tell neighbouring chunks apart (pagefind_bundle._ranges),
// so a word may fall in two listed ranges (業股 in 業…業, a chunk whose last word is 業, and in 業股…業股):
// it is in the later one, whose first word it reaches (91 KB, not 19).
function chunkSize(word, known) {
  let size = known.typical;
  for (const [from, to, bytes] of known.large) if (from <= word && (word <= to || word.startsWith(to))) size = bytes;
  return size;
}

// A part of 9 Han characters or more (a regulation's name) may leave a character unchecked where that
// saves a chunk this many times the usual one (a common word's), never two characters side by side.
const UNCHECKED = 4;

// What Pagefind is asked for a query part (its words, from phraseWords()), and how the part is
// checked to occur as written. Fewer words mean fewer index chunks to download:
// - a part holding a long number (5 digits or more, as every document number does): the numbers
//   alone, which are as selective as the whole part (府財產字第1150010234號 -> 1150010234);
// - a part that is one word alone with a lone key (loneWords(): 第, 規定): that key, whose pages are
//   the word's and whose positions nothing checks;
// - a part of 4 Han characters or more (相關事項, a regulation's name): the bigrams that cover each
//   character at least once for the fewest bytes (about every other one, the common words' large
//   chunks avoided where another choice covers their characters: ABCD -> AB CD, ABCDEFG -> AB CD EF
//   FG or AB CD DE FG), their positions checked here (p, p+2, …). An exact phrase: AB at p and CD at
//   p+2 are ABCD as written, since a run's last character takes the place after its last bigram and
//   the break word (BREAK) the one after that, so no other run's bigram can be two places on
//   (generator/outputs/search.py, BREAK; 2 index chunks instead of 3 for 4 characters). From 9
//   characters, a character whose only bigrams are in chunks UNCHECKED times the usual one or more
//   is left unchecked (公司購置節約能源…辦法 is looked up from 司購 on: 168 KB less at 10,108 notices):
//   a page then matches wrongly only if it holds every other character of the part in place and
//   another one there. Of the bigrams chosen, at most ANCHORS are fetched at first, none of them in a
//   large chunk (公司, 股份, 能源), the rest deferred (anchored()): a few bigrams in place leave few
//   pages (強國際股份有限公: 強國 and 際股), and occurrences() checks those against their texts when
//   that costs less than the deferred words' chunks, which it fetches otherwise. Exact either way,
//   since a page's text holds every word of it (generator/outputs/pagefind_bundle.py, TEXT_FOLDER);
// - a part with punctuation inside (相關，事項, 1、2): its words but the break word, their places checked,
//   anchored as above (經濟部…補（捐）助預算執行作業規範);
// - anything else (2 or 3 Han characters, 第1條): all its words, as Pagefind's exact phrase.
// `words` keeps the part's words, `offsets` each term's place among them (checked by occurrences()).
function plan(part, known, alone = new Set()) {
  const numbers = part.filter((word) => /[0-9]{5,}/.test(word));
  if (numbers.length) return { terms: numbers, words: part, check: "none" };
  if (part.length === 1 && alone.has(part[0])) return { terms: [`0${part[0]}`], words: part, check: "none" }; // loneWords()
  if (choosable(part)) {
    const offsets = cover(part.map((word) => chunkSize(word, known)), part.length >= 8 ? UNCHECKED * known.typical : Infinity);
    return { ...anchored(part, offsets, known, alone), words: part, check: "positions" };
  }
  if (part.includes(BREAK)) {
    const offsets = part.map((_, i) => i).filter((i) => part[i] !== BREAK);
    if (offsets.length < 2) return { terms: offsets.map((i) => part[i]), words: part, offsets, check: "none" };
    return { ...anchored(part, offsets, known), words: part, check: "positions" };
  }
  return { terms: part, words: part, offsets: part.map((_, i) => i), check: part.length > 1 ? "phrase" : "none" };
}

// The words of a part that are asked for at first (at most ANCHORS of them, none in a large chunk, or
// if all are, those in chunks up to SMALLER times the smallest) and those deferred (the rest of
// `offsets`, those in large chunks last), if the bundle's pages have texts (known.piece) and the part
// has such a word; else every word of `offsets` at first.
// occurrences() fetches deferred words (one by one, or all at once where far too many pages are left)
// while checking the pages left against their texts would cost more (README, "Common words left to
// the pages' texts").
const ANCHORS = 3;
// A part whose words are all in large chunks is started from those whose chunks are at most this many
// times its smallest: 和潤企業股份有限公司 from 和潤 and 潤企 (46 KB each at 10,108 different notices;
// 業股 92, 份有 168, 限公 178 KB). 股份有限公司 (169 to 193 KB) would start from all, and is asked
// for whole, as before.
const SMALLER = 2;

function anchored(part, offsets, known, alone = new Set()) {
  const common = (i) => chunkSize(part[i], known) > known.typical; // a large chunk's (large-chunks.json)
  const all = { terms: offsets.map((i) => part[i]), offsets, deferred: [] };
  let rarer = offsets.filter((i) => !common(i));
  if (!rarer.length) { // every word in a large chunk: those in the smallest of them, if not all
    const least = Math.min(...offsets.map((i) => chunkSize(part[i], known)));
    rarer = offsets.filter((i) => chunkSize(part[i], known) <= SMALLER * least);
    if (rarer.length === offsets.length && known.piece > 0) {
      // all alike (股份有限公司): the lone key of the smallest that has one (0股份, its first positions
      // on each page: pagefind_bundle.LONE_POSITIONS), the rest deferred, smallest first
      const bySize = [...offsets].sort((a, b) => chunkSize(part[a], known) - chunkSize(part[b], known));
      const key = bySize.find((i) => alone.has(part[i]));
      if (key === undefined) return all;
      return { terms: [`0${part[key]}`], offsets: [key], keyed: [true], deferred: bySize.filter((i) => i !== key) };
    }
  }
  if (!(known.piece > 0) || !rarer.length) return all;
  // spread over the part: its first, last and middle rarer words
  const picked = rarer.length <= ANCHORS ? rarer
    : [...new Set(Array.from({ length: ANCHORS }, (_, j) => rarer[Math.round((j * (rarer.length - 1)) / (ANCHORS - 1))]))];
  const rest = offsets.filter((i) => !picked.includes(i));
  return { terms: picked.map((i) => part[i]), offsets: picked, deferred: [...rest.filter((i) => !common(i)), ...rest.filter(common)] };
}

// "Newest first": a dated page is named by its date and then its address (20260305-2026-03-05: the
// notice 2026/03/05 of 2026-03-05; generator/outputs/search.py, page_name()), so results are ordered
// by the name's date, newest first, then by the rest of the name by its numbers (a day's notices in
// the issue's order); pages without a date (the directory's) follow, by relevance.
const DATED = /^(\d{8})-(.+)$/;

function newestFirst(results) {
  const dated = results.filter((result) => DATED.test(result.id));
  const order = (a, b) => {
    const [, dayA, restA] = DATED.exec(a.id);
    const [, dayB, restB] = DATED.exec(b.id);
    return dayB.localeCompare(dayA) || restA.localeCompare(restB, "en", { numeric: true });
  };
  return [...dated.sort(order), ...results.filter((result) => !DATED.test(result.id))];
}

// Whether a part's words may be chosen among (plan()): 4 Han characters or more, nothing else.
function choosable(part) {
  const han = new RegExp(`^${ideographs}{2}$`, "u");
  return part.length > 2 && part.every((word) => han.test(word));
}

// Whether plan() reads large-chunks.json for a part: to choose among its words, or to ask for some of
// them at first (anchored(): a part with punctuation inside and two words or more besides the breaks).
function sized(part) {
  return choosable(part) || (part.includes(BREAK) && part.filter((word) => word !== BREAK).length > 1);
}

// The bigrams to ask for (their places in the part), by dynamic programming over the places: bigram i
// covers characters i and i+1; a character that no chosen bigram covers costs `unchecked` (Infinity:
// never), and two such characters side by side are not allowed (no three bigrams in a row left out,
// counting one left out before the first and after the last). The cheapest choice, the fewest bigrams
// among equals.
function cover(costs, unchecked) {
  const n = costs.length;
  // best[a][b]: the cheapest choice of bigrams 0..i whose last two choices are a (i-1) and b (i)
  let best = [[null, null], [null, null]];
  best[0][0] = { cost: unchecked, count: 0, chosen: [] }; // character 0 unchecked (nothing before bigram 0)
  best[0][1] = { cost: costs[0], count: 1, chosen: [0] };
  const better = (x, y) => !y || x.cost < y.cost || (x.cost === y.cost && x.count < y.count);
  for (let i = 1; i < n; i++) {
    const next = [[null, null], [null, null]];
    for (const a of [0, 1]) {
      for (const b of [0, 1]) {
        const was = best[a][b];
        if (!was) continue;
        for (const c of [0, 1]) {
          if (!a && !b && !c) continue; // two characters side by side unchecked
          const cost = was.cost + (c ? costs[i] : 0) + (!b && !c ? unchecked : 0);
          const made = { cost, count: was.count + c, chosen: c ? [...was.chosen, i] : was.chosen };
          if (better(made, next[b][c])) next[b][c] = made;
        }
      }
    }
    best = next;
  }
  let answer = null;
  for (const a of [0, 1]) {
    for (const b of [0, 1]) {
      const was = best[a][b];
      if (!was || (!a && !b)) continue; // the last two characters unchecked
      const made = b ? was : { ...was, cost: was.cost + unchecked };
      if (made.cost < Infinity && better(made, answer)) answer = made;
    }
  }
  return answer.chosen;
}

// The pages where a planned part occurs as written: { found, doubtful }: found, a Map of result id ->
// one of its results (whose score is the part's relevance there); doubtful, pages whose positions
// cannot tell (below), result id -> { result, doubt } for check().
//
// Capped words (issue 14): the index keeps a word's first `cap` positions on a page
// (generator/outputs/pagefind_bundle.py, POSITIONS), so that a common word's index chunk stays small
// (公司: 168 KB -> 19 KB at 10,108 notices). A word with `cap` positions on a page may occur there
// again after the last of them: its positions prove a phrase (every position is true) but cannot
// rule one out past that point. Decided (README, "Positions capped per word and page"): such a page
// is neither dropped nor called an exact match unproved. Its positions are judged first (judge());
// a page they can neither prove nor rule out is doubtful, and its own text decides (check(): the
// words Pagefind indexed, kept for capped pages only, in pieces of `piece` words, of which only those
// where the part may start are fetched, 2 KB each). Only pages where every asked word occurs, and
// one of them is capped, can be doubtful; a phrase's pages are asked for their words' positions only
// when their words have `cap` positions together.
//
// Deferred words (plan(), anchored(): words not fetched at first) are judged as words whose positions
// are not known (any place fits): the pages the words fetched leave are doubtful where the part may
// start there, and their texts decide, if the pieces to read cost less than the deferred words'
// chunks (the usual piece, `known.piece`, against the chunks' sizes in large-chunks.json) and are at
// most CHECKED pages; else the next deferred word is fetched and judged as the others, and so on (all
// of them at once where the pages left are more than 4 times CHECKED).
async function occurrences(pagefind, p, filters, known) {
  const scored = await pagefind.search(p.terms.join(" "), { filters });
  const found = new Map();
  const doubtful = new Map();
  if (p.check === "none") {
    for (const result of scored.results) found.set(result.id, result);
    return { found, doubtful, asked: p.terms };
  }
  let open = scored.results;
  if (p.check === "phrase") {
    const exact = await pagefind.search(`"${p.terms.join(" ")}"`, { filters });
    const proved = new Set(exact.results.map((result) => result.id));
    for (const result of scored.results) if (proved.has(result.id)) found.set(result.id, result);
    open = cap ? scored.results.filter((result) => !proved.has(result.id) && result.words.length >= cap) : [];
  }
  if (!open.length) return { found, doubtful, asked: p.terms };
  const positionsOf = async (term) => {
    const each = await pagefind.search(term, { filters });
    return new Map(each.results.map((result) => [result.id, result.words]));
  };
  const per = []; // the positions of the words fetched, by page, in the order of `offsets`
  for (const term of p.terms) per.push(await positionsOf(term));
  const deferred = [...(p.deferred || [])]; // those not fetched yet
  const offsets = [...p.offsets, ...deferred];
  const unknown = offsets.map((_, k) => k >= p.offsets.length); // a word whose positions are not fetched
  const caps = offsets.map((_, k) => (p.keyed?.[k] ? lonePositions : cap)); // a lone key's: its first few
  const doubtOf = (result) => {
    const at = per.map((positions) => positions.get(result.id));
    if (at.some((positions) => !positions)) return "no"; // a word fetched is not on the page
    while (at.length < offsets.length) at.push([]); // the deferred words left to the text
    return judge(at, offsets, caps, unknown);
  };
  // the deferred words, one by one, until the pages left cost less to check against their texts:
  // all of them, if they are few (CHECKED); else a results page of them at a time, as they are shown
  // (startResultsPage(), confirm()), if the first page's worth holds the part on most of its pages
  let sampled = false;
  const fetched = []; // the deferred words fetched after all
  while (deferred.length) {
    const left = open.map((result) => [result, doubtOf(result)]).filter(([, doubt]) => doubt !== "no");
    const cost = (some, most = Infinity) => some.reduce((sum, [, doubt]) => sum + Math.min(most, piecesToRead(doubt, p.words.length)), 0) * known.piece;
    const chunks = deferred.reduce((sum, i) => sum + chunkSize(p.words[i], known), 0);
    if (left.length <= CHECKED && cost(left) < chunks) break;
    if (left.length > CHECKED && !sampled && cost(left.slice(0, PAGE_SIZE), SAMPLED) < chunks) {
      sampled = true; // once: the pieces read are kept (textPiece()) for confirm()
      const sample = left.slice(0, PAGE_SIZE);
      const written = await Promise.all(sample.map(([result, doubt]) => check(result.id, p.words, doubt, SAMPLED)));
      if (2 * written.filter((yes) => yes === true).length >= sample.length) break;
    }
    // far too many pages for one more word to leave few: every deferred word at once (as before
    // anchored(), and in one round trip); else the next one
    const next = deferred.splice(0, left.length > 4 * CHECKED ? deferred.length : 1);
    fetched.push(...next.map((i) => p.words[i]));
    for (const word of await Promise.all(next.map((i) => positionsOf(p.words[i])))) {
      unknown[per.length] = false;
      per.push(word);
    }
  }
  for (const result of open) {
    const doubt = doubtOf(result);
    if (doubt === "yes") found.set(result.id, result);
    else if (doubt !== "no") doubtful.set(result.id, { result, doubt });
  }
  // the words whose chunks are loaded now: the results are ranked by them (startResultsPage())
  return { found, doubtful, asked: [...p.terms, ...fetched] };
}

// The pieces of a page's text the sample of occurrences() reads at most (check()): where the part is
// not within them, the page does not count for leaving the deferred words to the texts.
const SAMPLED = 2;

// The most pages a part's deferred words are left to the pages' texts for (occurrences()): more, and
// their chunks are fetched (fewer requests, and a phrase's pages ranked by all its words' positions).
const CHECKED = 30;

// How many pieces of a page's text check() reads for a doubt (judge()), at most: the pieces where the
// part may start and end (check() stops at the first piece where it does); for a doubt with no place
// fixed (every word fetched is capped there), every piece from where it may start to the end of the
// longest text the index holds (LONGEST).
function piecesToRead(doubt, length) {
  if (doubt === "yes") return 0; // proved (never while a word is deferred: its place is not known)
  if (!doubt.starts) return Math.max(1, Math.ceil((LONGEST - doubt.from) / piece));
  return new Set(doubt.starts.flatMap((start) => [Math.floor(start / piece), Math.floor((start + length - 1) / piece)])).size;
}

// The words of the longest text a page has in the index, about: 10,000 words of running text
// (generator/outputs/search.py, MAX_WORDS) and its title, metadata and first paragraph, always whole.
const LONGEST = 12000;

// Whether the terms' positions on a page (at[k], of the term at offsets[k] in the part) put them in
// place: "yes" (somewhere every term is where the part has it), "no", or where the part may start
// though no position shows it, because a capped term (as many positions as `cap`) may be in place
// after its last known position: { starts: [...] } where a term that is not capped fixes them, else
// { from } (every term capped: anywhere from there on, where one of them is past its last position).
function judge(at, offsets, cap, unknown = []) {
  const places = at.map((positions) => new Set(positions));
  const capOf = (k) => (Array.isArray(cap) ? cap[k] : cap); // per term: a lone key keeps fewer (anchored())
  const capped = at.map((positions, k) => unknown[k] || (capOf(k) > 0 && positions.length >= capOf(k))); // unknown: deferred
  const last = at.map((positions) => positions.reduce((a, b) => Math.max(a, b), -1));
  const starts = (k) => at[k].map((position) => position - offsets[k]);
  if (starts(0).some((start) => offsets.every((offset, k) => places[k].has(start + offset)))) return "yes";
  const free = capped.indexOf(false);
  if (free === -1) return { from: Math.max(0, Math.min(...offsets.map((offset, k) => last[k] - offset + 1))) };
  const fits = (start, k) => places[k].has(start + offsets[k]) || (capped[k] && start + offsets[k] > last[k]);
  const possible = starts(free).filter((start) => start >= 0 && offsets.every((_, k) => fits(start, k)));
  return possible.length ? { starts: possible } : "no";
}

// A piece of a capped page's text (pagefind/text/<id>.<n>.pf_text: the words of positions n * piece
// on, as Pagefind indexed them), [] past the text's end, or null if it cannot be had. Stored in gzip
// and served as it is (as Pagefind's own files); one a server decompresses on the way is read as it comes.
function textPiece(id, n) {
  const key = `${id}.${n}`;
  if (!pieces.has(key)) {
    pieces.set(key, fetch(new URL(`pagefind/text/${key}.pf_text`, root))
      .then(async (response) => {
        if (response.status === 404) return [];
        if (!response.ok) return null;
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return JSON.parse(await new Response(stream).text());
      })
      .catch(() => null));
  }
  return pieces.get(key);
}

// A word as Pagefind indexes it: lower case, without punctuation ("條." is 條).
function plain(word) {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// Whether the part's words (`words`, all of them) follow one another in a doubtful page's text where
// judge() left it open (`doubt`); null if the text cannot be had; undefined if `most` pieces did not
// tell.
async function check(id, words, doubt, most = Infinity) {
  const wanted = words.map(plain);
  const at = (got, position) => got.get(Math.floor(position / piece))?.[position % piece];
  const matches = (got, start) => wanted.every((word, k) => plain(at(got, start + k) ?? "") === word);
  if (doubt.starts) { // the pieces of the places where it may start, a piece at a time, until it does
    const got = new Map();
    const byPiece = new Map(); // (not Map.groupBy: phones of 2023 lack it)
    for (const start of doubt.starts) byPiece.set(Math.floor(start / piece), [...(byPiece.get(Math.floor(start / piece)) || []), start]);
    for (const [n, starts] of [...byPiece].sort((a, b) => a[0] - b[0])) {
      if (got.size >= most) return undefined;
      const needed = [n, ...new Set(starts.map((start) => Math.floor((start + wanted.length - 1) / piece)))];
      for (const [m, words] of await Promise.all(needed.filter((m) => !got.has(m)).map(async (m) => [m, await textPiece(id, m)]))) {
        if (words === null) return null;
        got.set(m, words);
      }
      if (starts.some((start) => matches(got, start))) return true;
    }
    return false;
  }
  const got = new Map();
  for (let n = Math.floor(doubt.from / piece); ; n++) { // piece by piece from where it may start
    if (got.size >= most) return undefined;
    const words = await textPiece(id, n);
    if (words === null) return null;
    if (!words.length) return false;
    got.set(n, words);
    const first = Math.max(doubt.from, n * piece - wanted.length + 1);
    for (let start = first; start < (n + 1) * piece; start++) if (matches(got, start)) return true;
  }
}

async function startResultsPage(app) {
  ideographs = `[${app.dataset.ideographs}]`;
  cap = Number(app.dataset.positions) || 0;
  piece = Number(app.dataset.textPiece) || piece;
  lonePositions = Number(app.dataset.lonePositions) || lonePositions;
  folding = new Map(Object.entries(JSON.parse(app.dataset.fold || "{}")));
  BREAK = app.dataset.break || BREAK;
  text = JSON.parse(app.dataset.words);
  // [[filter, label, values], …] in display order, written into the page from the content model:
  // asking Pagefind for them (pagefind.filters()) would download its whole filter index first.
  const menus = JSON.parse(app.dataset.filters || "[]");
  const input = document.getElementById("search-query");
  const results = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";

  const index = app.dataset.index || document.documentElement.lang;
  if (input.value.split(/\s+/).some((part) => sized(phraseWords(part)))) chunkSizes(index); // beside the index's
  if (input.value.split(/\s+/).some((part) => lonely(phraseWords(part)))) loneWords(index);
  const pagefind = await openIndex(index);

  const selected = {};
  for (const [name] of menus) if (params.get(name)) selected[name] = params.get(name);
  for (const name of ["from", "to", "sort"]) if (params.get(name)) selected[name] = params.get(name);
  const selects = buildFilters(menus, selected);

  let shown = [];
  let loose = false;
  let unsure = new Set(); // results shown, marked: their text could not be checked
  let asking = []; // per part of the query: its pages found, doubtful and unsure (occurrences()), its words
  let candidates = []; // the ranked pages with every part, as written or doubtful
  let resolved = 0; // how many of them are judged (confirm())
  let generation = 0;
  let terms = [];

  function pagefindFilters() {
    const filters = {};
    for (const [name] of menus) if (name !== "year" && selected[name]) filters[name] = selected[name];
    const years = (menus.find(([name]) => name === "year") || [null, null, []])[2];
    if (selected.from || selected.to) {
      const from = Number(selected.from || -Infinity);
      const to = Number(selected.to || Infinity);
      filters.year = { any: years.filter((year) => Number(year) >= Math.min(from, to) && Number(year) <= Math.max(from, to)) };
    }
    return filters;
  }

  async function run() {
    const query = input.value.trim();
    const url = new URL(location.href);
    const chosen = Object.fromEntries(Object.entries(selected).filter(([, value]) => value));
    url.search = new URLSearchParams({ ...(query ? { q: query } : {}), ...chosen }).toString();
    history.replaceState(null, "", url);
    const mine = ++generation;
    results.replaceChildren();
    more.hidden = true;
    const filters = pagefindFilters();
    const filtering = Object.keys(filters).length > 0;
    const parts = query.split(/\s+/).map(phraseWords).filter((part) => part.length);
    // What the excerpts mark: each part as typed, less the quotation marks and punctuation around it
    // (「第1條」 is marked where 第1條 is: the brackets are not in the text matched)
    terms = query.split(/\s+/).map((part) => part.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter(Boolean);
    if (!parts.length && !filtering) {
      setStatus("");
      return;
    }
    setStatus(text.searching);
    // Ranked: the words asked for (plan()), in any order (Pagefind's BM25 over the bigrams, titles
    // weighted); then, per part, the pages where it occurs as written. Every later search reads the
    // index chunks the first one loaded, so only the first costs a download.
    const known = parts.some(sized) ? await chunkSizes(index) : { typical: 1, large: [] };
    // lone keys: for a part that is one such word, and one whose words are all in large chunks (anchored())
    const alone = parts.some((part) => lonely(part) || (choosable(part) && part.every((word) => chunkSize(word, known) > known.typical)))
      ? await loneWords(index) : new Set();
    if (mine !== generation) return;
    const plans = parts.map((part) => plan(part, known, alone));
    const all = parts.length ? [...new Set(plans.flatMap((p) => p.terms))].join(" ") : null;
    let ranked = await pagefind.debouncedSearch(all, { filters }, 200);
    if (ranked === null || mine !== generation) return; // a newer query took over
    const each = [];
    for (const p of plans) {
      const found = await occurrences(pagefind, p, filters, known);
      if (mine !== generation) return;
      each.push({ ...found, unsure: new Map(), words: p.words });
    }
    // Words deferred at first (anchored()) and then fetched after all: ranked by every word whose
    // chunk is loaded, as if none had been deferred (no download: Pagefind has the chunks)
    const asked = [...new Set(each.flatMap((part) => part.asked))];
    if (parts.length && asked.length > all.split(" ").length) {
      ranked = await pagefind.search(asked.join(" "), { filters });
      if (mine !== generation) return;
    }
    if (selected.sort === "newest") ranked.results = newestFirst(ranked.results);
    // The pages that have every part, as written or doubtful; a doubtful page's text is read when
    // it is about to be shown (confirm()): all of them now if they are few (CHECKED), so that the
    // count is exact at once; else a results page at a time, and the count is an estimate until
    // every one is read
    asking = each;
    candidates = ranked.results.filter((result) => each.every(({ found, doubtful }) => found.has(result.id) || doubtful.has(result.id)));
    resolved = 0;
    shown = [];
    unsure = new Set();
    const doubts = candidates.filter((result) => each.some(({ doubtful }) => doubtful.has(result.id))).length;
    await confirm(doubts <= CHECKED ? Infinity : PAGE_SIZE, mine);
    if (mine !== generation) return;
    if (filtering) updateCounts(selects, ranked.filters); // counts once filtering is in use
    loose = shown.length === 0 && (ranked.results.length > 0 || each.some(({ found }) => found.size > 0));
    if (loose) {
      // No page has every part as written. First the pages with some of the parts as written (most
      // parts first, then by relevance), then those with the words in another order.
      const pages = new Map();
      for (const { found } of each) {
        for (const [id, result] of found) {
          const page = pages.get(id) || { result, parts: 0, score: 0 };
          page.parts += 1;
          page.score += result.score;
          pages.set(id, page);
        }
      }
      const partial = [...pages.values()].sort((a, b) => b.parts - a.parts || b.score - a.score).map((page) => page.result);
      shown = [...partial, ...ranked.results.filter((result) => !pages.has(result.id))];
    }
    await showMore(mine);
  }

  // Reads the texts of the doubtful candidates, in their order, from the first not read yet, until
  // `wanted` results are confirmed or none is left; a page whose text cannot be had is shown, marked
  // (unsure), where it ranks.
  async function confirm(wanted, mine) {
    while (shown.length < wanted && resolved < candidates.length) {
      const batch = candidates.slice(resolved, resolved + (wanted === Infinity ? candidates.length : wanted - shown.length));
      await Promise.all(batch.flatMap((result) => asking.map(async (part) => {
        const doubtful = part.doubtful.get(result.id);
        if (!doubtful) return;
        const written = await check(result.id, part.words, doubtful.doubt);
        if (written) part.found.set(result.id, doubtful.result);
        else if (written === null) part.unsure.set(result.id, doubtful.result);
      })));
      if (mine !== generation) return;
      resolved += batch.length;
      for (const result of batch) {
        if (asking.every((part) => part.found.has(result.id))) shown.push(result);
        else if (asking.every((part) => part.found.has(result.id) || part.unsure.has(result.id))) {
          shown.push(result);
          unsure.add(result.id);
        }
      }
    }
  }

  async function showMore(mine) {
    const start = results.children.length;
    if (!loose) await confirm(start + PAGE_SIZE, mine);
    if (mine !== generation) return;
    const slice = shown.slice(start, start + PAGE_SIZE);
    const page = await Promise.all(slice.map((result) => result.data()));
    if (mine !== generation) return;
    // the parts as typed; in looser results, which lack them, their words (bigrams) where they occur
    const marked = loose ? [...new Set(terms.flatMap(words).filter((word) => word.length > 1))] : terms;
    page.forEach((data, i) => results.append(renderResult(data, marked, loose || unsure.has(slice[i].id))));
    const left = loose ? 0 : candidates.length - resolved; // candidates whose texts are not read yet
    more.hidden = results.children.length >= shown.length && left === 0;
    if (loose) setStatus(say(text.loose, { n: shown.length })); // said plainly, before the looser results
    else if (left) setStatus(say(text.found_about, { n: shown.length + left })); // at most, and most of them
    else setStatus(shown.length ? say(shown.length === 1 ? text.found_one : text.found, { n: shown.length }) : text.none);
  }

  input.addEventListener("input", () => run());
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  let showing = Promise.resolve(); // "more" clicked twice: the second waits for the first (confirm())
  more.addEventListener("click", () => {
    showing = showing.then(() => showMore(generation)).catch((error) => console.error(error));
  });
  for (const [name, select] of Object.entries(selects)) {
    select.addEventListener("change", () => {
      selected[name] = select.value;
      run();
    });
  }
  if (!input.value) input.focus();
  await run();
}

function select(id, name, label, options, chosen) {
  const menu = element("select", { id, name });
  for (const [value, shown] of options) {
    const option = element("option", { value }, [shown]);
    if (value) option.dataset.value = value;
    if (chosen === value) option.selected = true;
    menu.append(option);
  }
  return [menu, element("div", { class: "search-filter" }, [element("label", { for: id }, [label]), menu])];
}

function buildFilters(menus, selected) {
  const container = document.getElementById("search-filters");
  const selects = {};
  for (const [name, label, values] of menus) {
    if (!values.length) continue;
    if (name === "year") { // a range of years, shown in the page's calendar (民國 years in Chinese)
      const named = values.map((year) => [year, say(text.year, { year, roc: Number(year) - 1911 })]);
      const ascending = [...named].reverse();
      const [from, fromBox] = select("search-from", "from", `${text.years}：${text.from}`, [["", text.all], ...ascending], selected.from);
      const [to, toBox] = select("search-to", "to", text.to, [["", text.all], ...named], selected.to);
      container.append(fromBox, toBox);
      selects.from = from;
      selects.to = to;
      continue;
    }
    const [menu, box] = select(`search-filter-${name}`, name, label, [["", text.all], ...values.map((v) => [v, v])], selected[name]);
    container.append(box);
    selects[name] = menu;
  }
  const [sort, sortBox] = select("search-sort", "sort", text.sort, [["", text.relevance], ["newest", text.newest]], selected.sort);
  container.append(sortBox);
  selects.sort = sort;
  return selects;
}

function updateCounts(selects, counts) {
  for (const [name, menu] of Object.entries(selects)) {
    if (!counts || !counts[name]) continue;
    for (const option of menu.options) {
      if (!option.dataset.value) continue;
      option.textContent = `${option.dataset.value} (${counts[name][option.dataset.value] || 0})`;
    }
  }
}

// The summary (the page's own text from its subject, made at build time) with each part of the
// query marked where it occurs, variants folded. Built from text nodes and <mark> elements only:
// whatever the indexed text holds is shown as text.
function highlighted(summary, terms) {
  const folded = fold(summary);
  const marks = new Array(folded.length).fill(false);
  for (const term of terms.map(fold)) {
    if (!term) continue;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      for (let i = at; i < at + term.length; i++) marks[i] = true;
    }
  }
  const nodes = [];
  let start = 0;
  for (let i = 1; i <= summary.length; i++) {
    if (i === summary.length || marks[i] !== marks[start]) {
      const piece = summary.slice(start, i);
      nodes.push(marks[start] ? element("mark", {}, [piece]) : document.createTextNode(piece));
      start = i;
    }
  }
  return nodes;
}

function renderResult(data, terms, loose) {
  const meta = data.meta || {};
  const link = element("a", { href: data.url }, [meta.title || data.url]);
  const heading = element("h2", { class: "search-result__title" }, [link]);
  const item = element("li", { class: loose ? "search-result search-result--loose" : "search-result" }, [heading]);
  if (loose) heading.prepend(element("span", { class: "search-result__badge" }, [text.loose_badge]), " ");
  const details = [meta.date, meta.agency, meta.doc_number, meta.issue, meta.phone].filter(Boolean).join(" · ");
  if (details) item.append(element("p", { class: "search-result__meta" }, [details]));
  if (meta.summary) item.append(element("p", { class: "search-result__excerpt" }, highlighted(meta.summary, terms)));
  return item;
}

export { cover, newestFirst, plan, words }; // for tests/outputs/test_search_transfer.py and test_search.py
