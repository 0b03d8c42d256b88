// Views: the question with its answer fields, and the feedback on a graded answer.
// Every string from the service goes through textContent or the Markdown renderer (text nodes only).

import { h } from "./dom.js";
import { renderInline, renderMarkdown } from "./markdown.js";
import { mathNode } from "./math.js";

const HINTS = {
  fraction: "A proportion: 0.62, 62 % or 8/13",
  scalar: "A number: 0.05, -1.2, 3/8 or 1e-3",
  vector: "A list: [2, 0, 4.5]; rows as [[1, 2], [3, 4]]",
  shape: "Dimensions: n × m, (3, 4) or 256",
  choice: "One word",
  expression: "An expression: (A + A^T) x, 2 X^T (X w - y), softmax(z) - y",
};

export const pretty = (name) => {
  const text = String(name || "").replace(/[-_]+/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "";
};

// ------------------------------------------------------------------ values

export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && (size < 1e-4 || size >= 1e7)) return value.toExponential(3).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(4)));
}

export function formatValue(value, kind) {
  if (value === null || value === undefined) return "undefined (0/0)";
  if (typeof value === "number") {
    const number = formatNumber(value);
    return kind === "fraction" && value >= 0 && value <= 1 ? `${number} (${formatNumber(value * 100)}\u00a0%)` : number;
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    if (kind === "shape") return value.length ? value.map((d) => formatValue(d)).join(" × ") : "a scalar (no dimensions)";
    return `[${value.map((v) => formatValue(v)).join(", ")}]`;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
}

// ------------------------------------------------------------------ question

function chip(text, extra = "") {
  return h("span", { class: `chip ${extra}`.trim(), text });
}

export function questionChips(question) {
  const chips = [chip(pretty(question.topic) || "Any topic", "chip-topic")];
  chips.push(
    question.type === "numeric"
      ? chip(`Numeric · ${pretty(question.kind)}`, "chip-kind")
      : chip("Conceptual", "chip-kind"),
  );
  if (question.retry) chips.push(chip("Review", "chip-review"));
  return chips;
}

export function questionBody(question) {
  return renderMarkdown(question.text, { breaks: question.type === "numeric", headingOffset: 2 });
}

/** The answer fields; returns {nodes, inputs: [{name, input}], free, essay}. */
export function answerFields(question) {
  if (question.type === "conceptual") {
    const essay = h("textarea", {
      id: "essay",
      name: "essay",
      rows: 8,
      maxlength: 20000,
      spellcheck: "true",
      "aria-describedby": "essay-hint",
    });
    const nodes = h(
      "div",
      { class: "field" },
      h("label", { for: "essay", text: "Your answer" }),
      essay,
      h("p", { class: "hint", id: "essay-hint", text: "Explain in your own words, as you would in the exam." }),
    );
    return { nodes, inputs: [], free: null, essay };
  }
  const inputs = [];
  const kinds = new Set(question.parts.map((part) => part.kind));
  const shared = question.parts.length > 1 && kinds.size === 1 ? HINTS[[...kinds][0]] : null;
  const rows = question.parts.map((part, index) => {
    const id = `part-${index}`;
    const input = h("input", {
      id,
      name: part.name,
      type: "text",
      autocomplete: "off",
      autocapitalize: "off",
      autocorrect: "off",
      spellcheck: "false",
      enterkeyhint: index === question.parts.length - 1 ? "done" : "next",
      maxlength: 2000,
      "aria-describedby": shared ? "parts-hint" : `${id}-hint`,
    });
    inputs.push({ name: part.name, input });
    return h(
      "div",
      { class: "field part-field" },
      h("label", { for: id, text: part.label || pretty(part.name) }),
      input,
      shared ? null : h("p", { class: "hint", id: `${id}-hint`, text: HINTS[part.kind] || "Your answer" }),
    );
  });
  const example = question.parts.map((p) => `${p.name} = …`).join(", ");
  const free = h("input", {
    id: "free",
    name: "free",
    type: "text",
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    enterkeyhint: "done",
    maxlength: 20000,
    "aria-describedby": "free-hint",
  });
  const freeNote = h("p", {
    class: "hint free-note",
    id: "free-note",
    text: "This line is graded instead of the boxes above.",
    hidden: true,
  });
  free.addEventListener("input", () => {
    freeNote.hidden = !free.value.trim();
  });
  const nodes = h(
    "div",
    { class: "answer-grid" },
    shared ? h("p", { class: "hint parts-hint", id: "parts-hint", text: `Each answer is ${shared[0].toLowerCase()}${shared.slice(1)}` }) : null,
    h("div", { class: "parts-grid" }, rows),
    h(
      "div",
      { class: "field free-field" },
      h("label", { for: "free", text: "Or write it all in one line" }),
      free,
      h("p", { class: "hint", id: "free-hint", text: `Label each value, e.g. ${example}` }),
      freeNote,
    ),
  );
  return { nodes, inputs, free, essay: null };
}

// ------------------------------------------------------------------ feedback

const STATUS = {
  correct: { text: "Right", icon: "✓", tone: "good" },
  partial: { text: "Partly", icon: "◐", tone: "warn" },
  wrong: { text: "Wrong", icon: "✗", tone: "bad" },
  missing: { text: "Missing", icon: "–", tone: "bad" },
  unreadable: { text: "Could not read", icon: "?", tone: "warn" },
};

function badge(status, text) {
  const look = STATUS[status] || STATUS.wrong;
  return h(
    "span",
    { class: `badge tone-${look.tone}` },
    h("span", { class: "badge-icon", "aria-hidden": "true", text: look.icon }),
    ` ${text || look.text}`,
  );
}

export function percent(score) {
  return `${Math.round(Math.max(0, Math.min(1, Number(score) || 0)) * 100)}\u00a0%`;
}

/**
 * A part's feedback naming a known mistake, split in two:
 * "Precision: You swapped precision and recall: precision is …" → ["You swapped precision and recall", "Precision is …"].
 */
function splitMistake(part) {
  let text = String(part.feedback || "");
  const label = String(part.label || "");
  if (label && text.startsWith(`${label}: `)) text = text.slice(label.length + 2);
  const cut = text.search(/[:.;](\s|$)/);
  if (cut <= 0) return [text.trim() || pretty(part.misconception), ""];
  const rest = text.slice(cut + 1).trim();
  return [text.slice(0, cut).trim(), rest ? rest[0].toUpperCase() + rest.slice(1) : ""];
}

/** "Precision: You swapped precision and recall: …" → "You swapped precision and recall". */
export function mistakeInWords(part) {
  return splitMistake(part)[0];
}

/** Short names of what went wrong, kept with the mistake for the review list. */
export function mistakeNames(result) {
  if (result.kind === "conceptual") return (result.misconceptions_found || []).map((m) => String(m.text || ""));
  return [...new Set((result.parts || []).filter((p) => p.misconception).map(mistakeInWords))];
}

function verdict(result) {
  if (result.status !== "graded") return { title: "Could not read your answer", tone: "warn" };
  if (result.correct) return { title: "Right — well done", tone: "good" };
  if ((result.score || 0) > 0) return { title: "Partly right", tone: "warn" };
  return { title: "Not quite", tone: "bad" };
}

function scoreLine(result) {
  if (result.status !== "graded") return "Nothing was graded yet: fix the format and check again.";
  const parts = result.parts || [];
  if (result.kind === "conceptual") {
    const covered = parts.filter((p) => p.status === "correct").length;
    return `${covered} of ${parts.length} key points covered`;
  }
  const right = parts.filter((p) => p.status === "correct").length;
  return `${right} of ${parts.length} ${parts.length === 1 ? "part" : "parts"} right`;
}

/** What a screen reader hears as soon as the grade arrives. */
export function announcement(result) {
  const v = verdict(result);
  if (result.status !== "graded") return `${v.title}. ${result.feedback || ""}`;
  const named = mistakeNames(result);
  const mistakes = named.length ? ` Mistake: ${named.join("; ")}.` : "";
  return `${v.title}. Score ${percent(result.score)}, ${scoreLine(result)}.${mistakes}`;
}

function numericParts(result, question) {
  const kinds = Object.fromEntries((question.parts || []).map((p) => [p.name, p.kind]));
  return h(
    "ul",
    { class: "result-parts" },
    (result.parts || []).map((part) => {
      const kind = kinds[part.name];
      const values = h("dl", { class: "values" });
      if (part.given !== null && part.given !== undefined) {
        values.append(h("div", {}, h("dt", { text: "You wrote" }), h("dd", {}, h("code", { text: part.given }))));
      }
      if (result.status === "graded") {
        values.append(
          h("div", {}, h("dt", { text: "Answer" }), h("dd", {}, h("code", { text: formatValue(part.expected, kind) }))),
        );
      }
      const feedback = part.misconception ? splitMistake(part)[1] : String(part.feedback || "");
      const routine = !feedback || (part.status === "correct" && /\bis correct\.?$/.test(feedback));
      return h(
        "li",
        { class: `result-part status-${part.status}` },
        h("p", { class: "part-head" }, badge(part.status), " ", h("span", { class: "part-label", text: part.label })),
        values.childNodes.length ? values : null,
        part.misconception
          ? h(
              "p",
              { class: "mistake" },
              h("span", { class: "mistake-tag", text: "Known mistake" }),
              " ",
              h("span", { class: "mistake-name", text: mistakeInWords(part) }),
            )
          : null,
        routine ? null : h("p", { class: "part-feedback" }, renderInline(feedback)),
      );
    }),
  );
}

const KEY_POINT_STATUS = { correct: "Covered", partial: "Partly covered", missing: "Missed", wrong: "Contradicted" };

function evidence(span) {
  if (!span || !span.text) return null;
  return h("p", { class: "evidence" }, h("span", { class: "evidence-tag", text: "You wrote" }), " ", h("q", { text: span.text }));
}

function keyPoints(result) {
  const parts = result.parts || [];
  const covered = parts.filter((p) => p.status === "correct" || p.status === "partial");
  const missed = parts.filter((p) => p.status !== "correct" && p.status !== "partial");
  const item = (part) =>
    h(
      "li",
      { class: `keypoint status-${part.status}` },
      h("p", { class: "part-head" }, badge(part.status, KEY_POINT_STATUS[part.status])),
      h("p", { class: "keypoint-text" }, renderInline(String(part.label || ""))),
      part.status === "correct" || part.status === "partial" ? evidence(part.evidence) : null,
    );
  return [
    h("h3", { text: `Key points you covered (${covered.length})` }),
    covered.length ? h("ul", { class: "keypoints" }, covered.map(item)) : h("p", { class: "empty", text: "None yet." }),
    h("h3", { text: `Key points you missed (${missed.length})` }),
    missed.length ? h("ul", { class: "keypoints" }, missed.map(item)) : h("p", { class: "empty", text: "None — all covered." }),
  ];
}

function misconceptionsFound(result) {
  const found = result.misconceptions_found || [];
  if (!found.length) return [];
  return [
    h("h3", { text: "Misconceptions in your answer" }),
    h(
      "ul",
      { class: "misconceptions" },
      found.map((m) =>
        h(
          "li",
          { class: "misconception" },
          h("p", { class: "mistake" }, h("span", { class: "mistake-tag", text: "Misconception" }), " ", h("span", { class: "mistake-name", text: m.text })),
          h("p", { class: "part-feedback" }, renderInline(String(m.feedback || ""))),
          evidence(m.evidence),
        ),
      ),
    ),
  ];
}

function workedSolution(solution) {
  const steps = (solution && solution.steps) || [];
  const conventions = (solution && solution.conventions) || [];
  const nodes = [];
  if (steps.length) {
    nodes.push(
      h("h3", { text: "Worked solution" }),
      h(
        "ol",
        { class: "steps" },
        steps.map((step) =>
          h(
            "li",
            { class: "step" },
            h("p", { class: "step-title", text: step.title }),
            step.text ? h("p", { class: "step-text" }, renderInline(String(step.text), { breaks: true })) : null,
            step.latex ? mathNode(String(step.latex), true) : null,
          ),
        ),
      ),
    );
  }
  if (conventions.length) {
    nodes.push(
      h("h3", { text: "Conventions used" }),
      h("ul", { class: "conventions" }, conventions.map((c) => h("li", {}, renderInline(String(c))))),
    );
  }
  return nodes;
}

/** The feedback section's content; `nextButton(where)` makes a wired "Next question" button. */
export function feedbackView(result, question, nextButton) {
  const v = verdict(result);
  const graded = result.status === "graded";
  const head = h(
    "div",
    { class: `feedback-head tone-${v.tone}` },
    h(
      "div",
      { class: "feedback-score" },
      h("h2", { id: "feedback-heading", tabindex: "-1", text: v.title }),
      graded
        ? h("p", { class: "score" }, h("span", { class: "score-number", text: percent(result.score) }), " ", h("span", { class: "score-detail", text: scoreLine(result) }))
        : h("p", { class: "score-detail", text: result.feedback || scoreLine(result) }),
    ),
    graded ? nextButton("top") : null,
  );
  const body = [head];
  if (graded && (result.needs_review || (result.review_reasons || []).length)) {
    const reasons = (result.review_reasons || []).filter(Boolean).join(" ");
    body.push(
      h("p", { class: "note", text: `This grade is uncertain, so treat it as a hint. ${reasons}`.trim() }),
    );
  }
  if (result.kind === "conceptual") {
    body.push(...misconceptionsFound(result));
    body.push(...keyPoints(result));
    if (graded && result.solution && result.solution.answer_markdown) {
      body.push(
        h("h3", { text: "Model answer" }),
        h("div", { class: "model-answer md" }, renderMarkdown(result.solution.answer_markdown, { headingOffset: 2 })),
      );
    }
  } else {
    body.push(h("h3", { text: "Your answer, part by part" }), numericParts(result, question));
    if (graded) body.push(...workedSolution(result.solution));
  }
  if (graded) body.push(h("div", { class: "feedback-foot" }, nextButton("bottom")));
  return body;
}
