// Math with the vendored KaTeX (trust off, expansion and size limits) and LaTeX `tabular` as an HTML table.
// KaTeX builds DOM nodes itself (katex.render), so no markup string is ever parsed.

import { h } from "./dom.js";
import { renderInline } from "./markdown.js";

const MAX_TEX_CHARS = 4000;

// Commands whose MathML output needs an inline style attribute (refused by the page's CSP): drawn plainly.
const MACROS = Object.freeze({
  "\\pmb": "\\boldsymbol{#1}",
  "\\fcolorbox": "\\fbox{#3}",
});

const OPTIONS = Object.freeze({
  // Errors are caught below and shown as the source in a styled box: KaTeX's own error node carries an
  // inline style attribute, which the page's CSP refuses (this is throwOnError: false, drawn our way).
  throwOnError: true,
  trust: false,
  strict: "ignore",
  maxExpand: 1000,
  maxSize: 20,
  output: "htmlAndMathml",
});

function fallback(tex, display, message) {
  return h(
    "span",
    { class: `math-error${display ? " math-error-display" : ""}`, title: message || null },
    h("code", { text: tex }),
  );
}

// Relations a long display formula may wrap before, at the top level (outside braces and environments).
const RELATIONS = new Set(["=", "<", ">", "\\approx", "\\le", "\\leq", "\\ge", "\\geq", "\\ne", "\\neq", "\\to", "\\Rightarrow"]);
const SPACERS = new Set(["\\quad", "\\qquad"]);

/**
 * Split a formula where it may wrap: into groups after a top-level \quad or ",\ ", and each group into
 * pieces before its top-level relations. "a = b,\ c \approx d" → [["a ", "= b,\ "], ["c ", "\approx d"]].
 */
export function wrapPieces(tex) {
  const groups = [[]];
  let start = 0;
  let depth = 0;
  let nested = 0; // inside \begin…\end or \left…\right
  const cut = (at, newGroup) => {
    if (tex.slice(start, at).trim()) {
      groups[groups.length - 1].push(tex.slice(start, at));
      start = at;
    }
    if (newGroup && groups[groups.length - 1].length) groups.push([]);
  };
  for (let i = 0; i < tex.length; i += 1) {
    const c = tex[i];
    const top = depth === 0 && nested === 0;
    if (c === "\\") {
      const command = /^\\(?:[A-Za-z]+|.)/.exec(tex.slice(i))[0];
      if (command === "\\begin" || command === "\\left") nested += 1;
      else if (command === "\\end" || command === "\\right") nested = Math.max(0, nested - 1);
      else if (top && RELATIONS.has(command)) cut(i, false);
      else if (top && (SPACERS.has(command) || (command === "\\ " && tex[i - 1] === ","))) {
        i += command.length - 1;
        cut(i + 1, true);
        continue;
      }
      i += command.length - 1;
    } else if (c === "{") {
      depth += 1;
    } else if (c === "}") {
      depth = Math.max(0, depth - 1);
    } else if (top && RELATIONS.has(c)) {
      cut(i, false);
    }
  }
  cut(tex.length, false);
  return groups.filter((group) => group.length);
}

function render(katex, source, el, display) {
  katex.render(source, el, { ...OPTIONS, displayMode: display, fleqn: true, macros: { ...MACROS } });
}

const LEADING_RELATION = /^\s*(?:[=<>]|\\(?:approx|leq?|geq?|neq?|to|Rightarrow)(?![A-Za-z]))/;

/** A display formula whose pieces wrap on a narrow screen (separate groups first), in display style. */
function flowNode(katex, groups) {
  const el = h("span", { class: "math math-display math-flow" });
  for (const pieces of groups) {
    const group = h("span", { class: "math-group" });
    for (const piece of pieces) {
      const part = h("span", { class: "math-piece" });
      render(katex, `\\displaystyle ${LEADING_RELATION.test(piece) ? "{}" : ""}${piece}`, part, false);
      group.append(part);
    }
    el.append(group);
  }
  return el;
}

/** `tex` rendered inline or as a display formula; never throws. */
export function mathNode(tex, display = false) {
  const source = tex.trim();
  if (/^\\begin\{tabular\}/.test(source)) {
    const table = tabularNode(source);
    if (table) return table;
  }
  const katex = globalThis.katex;
  if (!katex || source.length > MAX_TEX_CHARS) return fallback(source, display, "");
  try {
    const groups = display && !/\\\\|&/.test(source) ? wrapPieces(source) : [];
    if (groups.flat().length > 1) return flowNode(katex, groups);
    const el = h("span", { class: display ? "math math-display" : "math" });
    render(katex, source, el, display);
    return el;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    return fallback(source, display, message);
  }
}

// ------------------------------------------------------------------ tabular

/** Read `{...}` at `start` (which must be "{"): [content, index after the closing brace] or null. */
function group(text, start) {
  if (text[start] !== "{") return null;
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (c === "\\") {
      i += 1;
    } else if (c === "{") {
      depth += 1;
    } else if (c === "}") {
      depth -= 1;
      if (depth === 0) return [text.slice(start + 1, i), i + 1];
    }
  }
  return null;
}

/** Split `text` on `sep` (a string) outside braces and not after a backslash (for "&"). */
function splitTop(text, sep) {
  const pieces = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "\\" && text.startsWith(sep, i) && sep === "\\\\" && depth === 0) {
      pieces.push(text.slice(last, i));
      i += sep.length - 1;
      last = i + 1;
    } else if (c === "\\") {
      i += 1;
    } else if (c === "{") {
      depth += 1;
    } else if (c === "}") {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && sep !== "\\\\" && text.startsWith(sep, i)) {
      pieces.push(text.slice(last, i));
      last = i + sep.length;
    }
  }
  pieces.push(text.slice(last));
  return pieces;
}

const RULES = /\\(?:hline|toprule|midrule|bottomrule|cline\{[^}]*\}|cmidrule(?:\([^)]*\))?\{[^}]*\})/g;

function cellNode(source, header, rowHeader) {
  let text = source.trim();
  let span = 1;
  const multi = /^\\multicolumn\s*/.exec(text);
  if (multi) {
    const count = group(text, multi[0].length);
    const spec = count && group(text, count[1]);
    const body = spec && group(text, spec[1]);
    if (body) {
      span = Math.max(1, Math.min(20, Number.parseInt(count[0], 10) || 1));
      text = body[0].trim();
    }
  }
  text = text.replace(/\\textbf\{([^{}]*)\}/g, "**$1**").replace(/\\(?:textit|emph)\{([^{}]*)\}/g, "*$1*");
  const tag = header || rowHeader ? "th" : "td";
  const scope = header ? (span > 1 ? "colgroup" : "col") : rowHeader ? "row" : null;
  const numeric = tag === "td" && /^[-+−]?[\d.,\s]+%?$/.test(text);
  return h(tag, { colspan: span > 1 ? span : null, scope, class: numeric ? "align-right" : null }, renderInline(text));
}

/** A LaTeX tabular as a table: rows before the first \hline are the header, a "|" after column 1 makes row headers. */
export function tabularNode(source) {
  const begin = /^\\begin\{tabular\}\s*/.exec(source);
  if (!begin) return null;
  const spec = group(source, begin[0].length);
  if (!spec) return null;
  const end = source.lastIndexOf("\\end{tabular}");
  if (end < spec[1]) return null;
  const body = source.slice(spec[1], end);
  const rowHeaders = /^\s*\|?\s*(?:[lcr]|p\{[^}]*\})\s*\|/.test(spec[0]);
  const rows = splitTop(body, "\\\\");
  const ruleAt = rows.findIndex((row) => /\\(?:hline|midrule)/.test(row));
  const head = [];
  const rest = [];
  rows.forEach((row, index) => {
    const cells = splitTop(row.replace(RULES, ""), "&");
    if (cells.length === 1 && !cells[0].trim()) return;
    (ruleAt > 0 && index < ruleAt ? head : rest).push(cells);
  });
  if (head.length + rest.length === 0 || head.length + rest.length > 200) return null;
  const table = h(
    "table",
    { class: "md-table tabular" },
    head.length ? h("thead", {}, head.map((cells) => h("tr", {}, cells.map((c) => cellNode(c, true, false))))) : null,
    h("tbody", {}, rest.map((cells) => h("tr", {}, cells.map((c, i) => cellNode(c, false, rowHeaders && i === 0))))),
  );
  return h("div", { class: "table-scroll" }, table);
}
