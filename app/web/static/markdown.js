// A small Markdown renderer that builds DOM nodes: text is only ever set as text, never parsed as HTML.
// Blocks: paragraphs, headings, lists, pipe tables, fenced code, quotes, rules, display math ($$…$$, \[…\],
// \begin{…}…\end{…}, LaTeX tabular). Inline: code, $math$, \(math\), **strong**, *em*, _em_, escapes.
// Links and raw HTML are shown as the text they are.

import { append, h } from "./dom.js";
import { mathNode } from "./math.js";

const MAX_SOURCE_CHARS = 60000;
const MAX_DEPTH = 8;

// ------------------------------------------------------------------ inline

const ESCAPABLE = new Set("\\`*_{}[]()#+-.!|$<>~&".split(""));
const isSpace = (c) => c === undefined || /\s/.test(c);
const isWordChar = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Inline Markdown → a DocumentFragment. `breaks`: a newline becomes a line break. */
export function renderInline(text, { breaks = false } = {}, depth = 0) {
  const out = document.createDocumentFragment();
  let buffer = "";
  const flush = () => {
    if (buffer) out.append(document.createTextNode(buffer));
    buffer = "";
  };
  const noCloser = new Map(); // delimiter → position after which it has no closer (keeps scans linear)

  const findCloser = (delim, from, test) => {
    if (noCloser.has(delim) && from >= noCloser.get(delim)) return -1;
    let at = text.indexOf(delim, from);
    while (at !== -1) {
      if (test(at)) return at;
      at = text.indexOf(delim, at + 1);
    }
    noCloser.set(delim, from);
    return -1;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];

    if (c === "\\" && (next === "(" || next === "[")) {
      const close = text.indexOf(next === "(" ? "\\)" : "\\]", i + 2);
      if (close !== -1) {
        flush();
        out.append(mathNode(text.slice(i + 2, close), next === "["));
        i = close + 2;
        continue;
      }
    }
    if (c === "\\" && ESCAPABLE.has(next)) {
      buffer += next;
      i += 2;
      continue;
    }
    if (c === "`") {
      let run = 1;
      while (text[i + run] === "`") run += 1;
      const fence = "`".repeat(run);
      const close = findCloser(fence, i + run, (at) => text[at + run] !== "`" && text[at - 1] !== "`");
      if (close !== -1) {
        flush();
        let code = text.slice(i + run, close).replace(/\n/g, " ");
        if (/^ .*[^ ].* $/.test(code)) code = code.slice(1, -1);
        out.append(h("code", { text: code }));
        i = close + run;
        continue;
      }
      buffer += fence;
      i += run;
      continue;
    }
    if (c === "$" && next === "$") {
      const close = findCloser("$$", i + 2, () => true);
      if (close !== -1 && text.slice(i + 2, close).trim()) {
        flush();
        out.append(mathNode(text.slice(i + 2, close), true));
        i = close + 2;
        continue;
      }
      buffer += "$$";
      i += 2;
      continue;
    }
    if (c === "$" && !isSpace(next)) {
      const close = findCloser(
        "$",
        i + 1,
        (at) => at > i + 1 && !isSpace(text[at - 1]) && text[at - 1] !== "\\" && !/\d/.test(text[at + 1] || ""),
      );
      if (close !== -1) {
        flush();
        out.append(mathNode(text.slice(i + 1, close), false));
        i = close + 1;
        continue;
      }
    }
    if ((c === "*" || c === "_") && depth < MAX_DEPTH) {
      const strong = next === c;
      const delim = strong ? c + c : c;
      const after = text[i + delim.length];
      const leftOk = c === "*" || !isWordChar(text[i - 1]);
      if (!isSpace(after) && after !== c && leftOk) {
        const close = findCloser(delim, i + delim.length + 1, (at) => {
          if (isSpace(text[at - 1]) || text[at - 1] === "\\") return false;
          if (!strong && (text[at + 1] === c || text[at - 1] === c)) return false;
          return c === "*" || !isWordChar(text[at + delim.length]);
        });
        if (close !== -1) {
          flush();
          const inner = renderInline(text.slice(i + delim.length, close), { breaks }, depth + 1);
          out.append(h(strong ? "strong" : "em", {}, inner));
          i = close + delim.length;
          continue;
        }
      }
      buffer += delim;
      i += delim.length;
      continue;
    }
    if (c === "\n") {
      if (breaks) {
        flush();
        out.append(h("br"));
      } else {
        buffer += " ";
      }
      i += 1;
      continue;
    }
    buffer += c;
    i += 1;
  }
  flush();
  return out;
}

// ------------------------------------------------------------------ blocks

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(?:\s*\1){2,}\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const BEGIN_ENV = /^\s*\\begin\{([A-Za-z]+\*?)\}/;
const NUMBER_CELL = /^[-+−]?[\d.,\s]+(%|e[-+]?\d+)?$/i;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

const indentOf = (line) => {
  const lead = /^[ \t]*/.exec(line)[0];
  return lead.replace(/\t/g, "    ").length;
};
const isBlank = (line) => line.trim() === "";

function startsBlock(lines, i) {
  const line = lines[i];
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    LIST_ITEM.test(line) ||
    BEGIN_ENV.test(line) ||
    /^\s*(\$\$|\\\[)/.test(line) ||
    isTableStart(lines, i)
  );
}

function isTableStart(lines, i) {
  return /^\s*\|/.test(lines[i]) && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]) && lines[i + 1].includes("-");
}

/** Split a table row on "|" outside code spans and $math$; "\|" is a literal bar. */
function splitRow(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells = [];
  let cell = "";
  let code = false;
  let math = false;
  for (let i = 0; i < row.length; i += 1) {
    const c = row[i];
    if (c === "\\" && row[i + 1] === "|") {
      cell += "|";
      i += 1;
    } else if (c === "\\" && i + 1 < row.length) {
      cell += c + row[i + 1];
      i += 1;
    } else if (c === "`") {
      code = !code;
      cell += c;
    } else if (c === "$" && !code) {
      math = !math;
      cell += c;
    } else if (c === "|" && !code && !math) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function alignments(separator) {
  return splitRow(separator).map((cell) => {
    const left = cell.startsWith(":");
    const right = cell.endsWith(":");
    return left && right ? "center" : right ? "right" : left ? "left" : null;
  });
}

/** Collect an environment from \begin{name} to its matching \end{name}; [source, rest of last line, next index]. */
function collectEnvironment(lines, i, name) {
  const begin = `\\begin{${name}}`;
  const end = `\\end{${name}}`;
  let depth = 0;
  const taken = [];
  for (let j = i; j < lines.length; j += 1) {
    const line = lines[j];
    let from = 0;
    for (;;) {
      const b = line.indexOf(begin, from);
      const e = line.indexOf(end, from);
      if (e === -1 && b === -1) break;
      if (b !== -1 && (e === -1 || b < e)) {
        depth += 1;
        from = b + begin.length;
      } else {
        depth -= 1;
        from = e + end.length;
        if (depth === 0) {
          taken.push(line.slice(0, from));
          return [taken.join("\n"), line.slice(from), j + 1];
        }
      }
    }
    taken.push(line);
  }
  return null;
}

function renderList(lines, start, ctx, depth) {
  const first = LIST_ITEM.exec(lines[start]);
  const baseIndent = indentOf(first[1]);
  const ordered = /\d/.test(first[2]);
  const number = ordered ? Number.parseInt(first[2], 10) : 1;
  const list = h(ordered ? "ol" : "ul", { start: ordered && number !== 1 ? number : null });
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]);
    if (!m || indentOf(m[1]) !== baseIndent || /\d/.test(m[2]) !== ordered) break;
    const contentIndent = indentOf(m[1]) + m[2].length + 1;
    const body = [m[3]];
    i += 1;
    while (i < lines.length) {
      const line = lines[i];
      if (isBlank(line)) {
        let j = i;
        while (j < lines.length && isBlank(lines[j])) j += 1;
        if (j < lines.length && indentOf(lines[j]) > baseIndent) {
          body.push("");
          i += 1;
          continue;
        }
        break;
      }
      const lm = LIST_ITEM.exec(line);
      if (lm && indentOf(lm[1]) <= baseIndent) break;
      if (indentOf(line) > baseIndent) {
        body.push(line.slice(Math.min(contentIndent, indentOf(line))));
        i += 1;
        continue;
      }
      if (ctx.breaks || startsBlock(lines, i)) break; // line-by-line text: a new line at the margin ends the list
      body.push(line.trim());
      i += 1;
    }
    const item = h("li");
    const content = renderBlocks(body, ctx, depth + 1);
    const lead = content.firstChild;
    if (lead && lead.nodeName === "P") {
      content.replaceChild(append(document.createDocumentFragment(), [...lead.childNodes]), lead);
    }
    item.append(content);
    list.append(item);
    // blank lines between items of the same list
    let j = i;
    while (j < lines.length && isBlank(lines[j])) j += 1;
    const following = j < lines.length ? LIST_ITEM.exec(lines[j]) : null;
    if (following && indentOf(following[1]) === baseIndent && /\d/.test(following[2]) === ordered) i = j;
  }
  return [list, i];
}

function renderTable(lines, start, ctx) {
  const header = splitRow(lines[start]);
  const align = alignments(lines[start + 1]);
  const rows = [];
  let i = start + 2;
  while (i < lines.length && /^\s*\|/.test(lines[i])) {
    rows.push(splitRow(lines[i]));
    i += 1;
  }
  const width = header.length;
  const cell = (tag, text, index, extra = {}) => {
    const alignment = align[index] || (tag === "td" && NUMBER_CELL.test(text) ? "right" : null);
    return h(tag, { class: alignment ? `align-${alignment}` : null, ...extra }, renderInline(text, ctx));
  };
  const table = h(
    "table",
    { class: "md-table" },
    h("thead", {}, h("tr", {}, header.map((text, index) => cell("th", text, index, { scope: "col" })))),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          Array.from({ length: width }, (_, index) => cell("td", row[index] || "", index)),
        ),
      ),
    ),
  );
  return [h("div", { class: "table-scroll" }, table), i];
}

function renderBlocks(lines, ctx, depth = 0) {
  const out = document.createDocumentFragment();
  if (depth > MAX_DEPTH) {
    out.append(h("p", {}, lines.join("\n")));
    return out;
  }
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const code = [];
      i += 1;
      while (i < lines.length && !lines[i].trim().startsWith(marker)) {
        code.push(lines[i]);
        i += 1;
      }
      i += 1;
      const language = fence[2] || null;
      out.append(h("pre", { class: "code", "data-language": language }, h("code", { text: code.join("\n") })));
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith("$$") || trimmed.startsWith("\\[")) {
      const open = trimmed.startsWith("$$") ? "$$" : "\\[";
      const close = open === "$$" ? "$$" : "\\]";
      const rest = trimmed.slice(2);
      const sameLine = rest.indexOf(close);
      if (sameLine !== -1) {
        const after = rest.slice(sameLine + 2).trim();
        if (!after) {
          out.append(mathNode(rest.slice(0, sameLine), true));
          i += 1;
          continue;
        }
      } else {
        const tex = [rest];
        let j = i + 1;
        while (j < lines.length && !lines[j].includes(close)) {
          tex.push(lines[j]);
          j += 1;
        }
        if (j < lines.length) {
          const last = lines[j];
          const at = last.indexOf(close);
          tex.push(last.slice(0, at));
          out.append(mathNode(tex.join("\n"), true));
          const after = last.slice(at + 2);
          i = j + 1;
          if (after.trim()) lines = [...lines.slice(0, i), after, ...lines.slice(i)];
          continue;
        }
      }
    }
    const env = BEGIN_ENV.exec(line);
    if (env) {
      const found = collectEnvironment(lines, i, env[1]);
      if (found) {
        const [source, after, next] = found;
        out.append(mathNode(source.trim(), true));
        i = next;
        if (after.trim()) lines = [...lines.slice(0, i), after, ...lines.slice(i)];
        continue;
      }
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1].length + ctx.headingOffset);
      out.append(h(`h${level}`, { class: "md-heading" }, renderInline(heading[2], ctx)));
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      out.append(h("hr"));
      i += 1;
      continue;
    }
    if (isTableStart(lines, i)) {
      const [table, next] = renderTable(lines, i, ctx);
      out.append(table);
      i = next;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const [list, next] = renderList(lines, i, ctx, depth);
      out.append(list);
      i = next;
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted = [];
      while (i < lines.length && QUOTE.test(lines[i])) {
        quoted.push(QUOTE.exec(lines[i])[1]);
        i += 1;
      }
      out.append(h("blockquote", {}, renderBlocks(quoted, ctx, depth + 1)));
      continue;
    }
    const paragraph = [line.trim()];
    i += 1;
    while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines, i)) {
      paragraph.push(lines[i].trim());
      i += 1;
    }
    out.append(h("p", {}, renderInline(paragraph.join("\n"), ctx)));
  }
  return out;
}

/** A one-line plain-text gist of Markdown `source` (no tables, code or display math), for lists. */
export function plainSnippet(source, max = 200) {
  const text = String(source ?? "")
    .slice(0, MAX_SOURCE_CHARS)
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/\$\$[\s\S]*?\$\$/g, " … ")
    .replace(/\\begin\{([A-Za-z]+\*?)\}[\s\S]*?\\end\{\1\}/g, " … ")
    .replace(/^\s*\|.*$/gm, " ")
    .replace(/[*_`$#>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Markdown `source` → a DocumentFragment.
 * `breaks`: single newlines are line breaks (generated questions are written line by line);
 * `headingOffset`: "#" becomes h(1 + offset), so a document's headings sit under the page's own.
 */
export function renderMarkdown(source, { breaks = false, headingOffset = 2 } = {}) {
  const text = String(source ?? "").slice(0, MAX_SOURCE_CHARS).replace(/\r\n?/g, "\n");
  return renderBlocks(text.split("\n"), { breaks, headingOffset });
}
