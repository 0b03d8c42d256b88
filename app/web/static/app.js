// The self-quiz page: pick a topic and mode, answer, get graded feedback at once, keep progress locally.

import * as api from "./api.js";
import { fill, h } from "./dom.js";
import { plainSnippet } from "./markdown.js";
import { Progress } from "./progress.js";
import {
  announcement,
  answerFields,
  feedbackView,
  mistakeNames,
  percent,
  pretty,
  questionBody,
  questionChips,
} from "./render.js";

const $ = (id) => document.getElementById(id);
const els = {
  topic: $("topic"),
  modes: $("modes"),
  chooser: $("chooser"),
  chooserNote: $("chooser-note"),
  question: $("question"),
  chips: $("question-chips"),
  body: $("question-body"),
  form: $("answer-form"),
  fields: $("answer-fields"),
  formError: $("form-error"),
  submit: $("submit"),
  skip: $("skip"),
  kbdHint: $("kbd-hint"),
  feedback: $("feedback"),
  problem: $("problem"),
  problemText: $("problem-text"),
  retry: $("retry"),
  streakCurrent: $("streak-current"),
  streakBest: $("streak-best"),
  progress: $("progress"),
  mistakes: $("mistakes"),
  reset: $("reset"),
  announcer: $("announcer"),
};

const progress = new Progress();
const state = {
  topics: [],
  conceptual: [],
  question: null,
  fields: null,
  graded: false,
  grading: false,
  loading: null, // AbortController of the request in flight
  retryProblem: null,
};

// ------------------------------------------------------------------ small helpers

function announce(text) {
  els.announcer.textContent = "";
  window.setTimeout(() => {
    els.announcer.textContent = text;
  }, 50);
}

function mode() {
  const checked = els.modes.querySelector("input[name=mode]:checked");
  return checked ? checked.value : "mixed";
}

function topicInfo(topic) {
  return state.topics.find((t) => t.topic === topic) || null;
}

function conceptualFor(topic) {
  return state.conceptual.filter((q) => !topic || q.topic === topic);
}

function available(topic) {
  const numeric = topic
    ? Boolean(topicInfo(topic) && topicInfo(topic).practice_kinds.length)
    : state.topics.some((t) => t.practice_kinds.length);
  return { numeric, conceptual: conceptualFor(topic).length > 0 };
}

function showProblem(message, retry) {
  els.problemText.textContent = message;
  els.problem.hidden = false;
  state.retryProblem = retry;
  els.question.setAttribute("aria-busy", "false");
}

function hideProblem() {
  els.problem.hidden = true;
  state.retryProblem = null;
}

function setFormError(message) {
  els.formError.textContent = message || "";
  els.formError.hidden = !message;
}

// ------------------------------------------------------------------ chooser

function fillTopics() {
  const options = [h("option", { value: "", text: "All topics" })];
  for (const t of state.topics) {
    const can = available(t.topic);
    if (can.numeric || can.conceptual) options.push(h("option", { value: t.topic, text: pretty(t.topic) }));
  }
  fill(els.topic, options);
}

function describeTopic(topic) {
  const conceptual = conceptualFor(topic).length;
  const kinds = topic
    ? (topicInfo(topic) || { practice_kinds: [] }).practice_kinds.length
    : new Set(state.topics.flatMap((t) => t.practice_kinds)).size;
  const bits = [];
  if (conceptual) bits.push(`${conceptual} conceptual ${conceptual === 1 ? "question" : "questions"}`);
  if (kinds) bits.push(`${kinds} kind${kinds === 1 ? "" : "s"} of numeric practice`);
  return bits.join(" · ");
}

function updateModes() {
  const can = available(els.topic.value);
  $("topic-hint").textContent = describeTopic(els.topic.value);
  const radios = {
    numeric: $("mode-numeric"),
    conceptual: $("mode-conceptual"),
    mixed: $("mode-mixed"),
  };
  radios.numeric.disabled = !can.numeric;
  radios.conceptual.disabled = !can.conceptual;
  radios.mixed.disabled = !(can.numeric && can.conceptual);
  const wanted = mode();
  let note = "";
  if (radios[wanted].disabled) {
    const fallback = !radios.mixed.disabled ? "mixed" : can.numeric ? "numeric" : "conceptual";
    radios[fallback].checked = true;
  }
  if (!can.numeric) note = "No numeric practice on this topic yet: conceptual questions only.";
  else if (!can.conceptual) note = "No conceptual questions on this topic yet: numeric practice only.";
  els.chooserNote.textContent = note;
  els.chooserNote.hidden = !note;
}

// ------------------------------------------------------------------ questions

function fromPractice(body) {
  const asked = Array.isArray(body.asked) ? body.asked : [];
  const parts =
    Array.isArray(body.parts) && body.parts.length
      ? body.parts
      : asked.map((name) => ({ name, label: pretty(name), kind: "scalar" }));
  return {
    id: String(body.question_id),
    type: "numeric",
    topic: String(body.topic || ""),
    kind: String(body.kind || ""),
    text: String(body.question || ""),
    parts: parts.map((p) => ({ name: String(p.name), label: String(p.label || pretty(p.name)), kind: String(p.kind || "scalar") })),
  };
}

function fromBank(entry) {
  return {
    id: String(entry.id),
    type: "conceptual",
    topic: String(entry.topic || ""),
    kind: "conceptual",
    text: String(entry.prompt || ""),
    parts: [],
  };
}

function pickType(topic) {
  const can = available(topic);
  const wanted = mode();
  if (wanted === "numeric" && can.numeric) return "numeric";
  if (wanted === "conceptual" && can.conceptual) return "conceptual";
  if (can.numeric && can.conceptual) return Math.random() < 0.5 ? "numeric" : "conceptual";
  return can.numeric ? "numeric" : "conceptual";
}

/** A conceptual question: never shown first, then not yet mastered and least recently seen. */
function pickConceptual(topic) {
  let pool = conceptualFor(topic);
  if (state.question && pool.length > 1) pool = pool.filter((q) => q.id !== state.question.id);
  const rank = (q) => {
    const seen = progress.seen(q.id);
    return seen ? (seen.best >= 1 ? 2 : 1) : 0;
  };
  const best = Math.min(...pool.map(rank));
  const group = pool
    .filter((q) => rank(q) === best)
    .sort((a, b) => ((progress.seen(a.id) || {}).last || 0) - ((progress.seen(b.id) || {}).last || 0));
  const choices = best === 0 ? group : group.slice(0, 3);
  return choices[Math.floor(Math.random() * choices.length)];
}

async function loadQuestion(retry, signal) {
  if (retry) {
    const practice = /^practice:([a-z0-9_]+):(\d+)$/.exec(retry.id);
    const body = practice
      ? fromPractice(await api.practice({ kind: practice[1], seed: practice[2] }, signal))
      : fromBank(await api.question(retry.id, signal));
    return { ...body, retry: true };
  }
  const topic = els.topic.value;
  if (pickType(topic) === "numeric") return fromPractice(await api.practice({ topic }, signal));
  const entry = pickConceptual(topic);
  if (!entry) throw new api.ApiError("No questions on this topic yet.");
  progress.markShown(entry.id);
  return fromBank(entry);
}

async function nextQuestion({ focus = true, retry = null } = {}) {
  if (state.loading) state.loading.abort();
  const controller = new AbortController();
  state.loading = controller;
  hideProblem();
  setFormError("");
  els.feedback.hidden = true;
  els.form.hidden = true;
  els.question.setAttribute("aria-busy", "true");
  fill(els.body, h("p", { class: "loading", text: "Loading a question…" }));
  let question;
  try {
    question = await loadQuestion(retry, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return;
    fill(els.body);
    if (retry && error instanceof api.ApiError && error.status === 404) {
      progress.forgetMistake(retry.id);
      renderMistakes();
      showProblem("That question is no longer available, so it left your review list.", () =>
        nextQuestion({ focus }),
      );
      return;
    }
    showProblem(error instanceof api.ApiError ? error.message : "Could not load a question.", () =>
      nextQuestion({ focus, retry }),
    );
    return;
  } finally {
    if (state.loading === controller) state.loading = null;
  }
  if (controller.signal.aborted) return;
  showQuestion(question, focus);
}

function showQuestion(question, focus) {
  state.question = question;
  state.graded = false;
  state.grading = false;
  fill(els.chips, questionChips(question));
  fill(els.body, questionBody(question));
  state.fields = answerFields(question);
  fill(els.fields, state.fields.nodes);
  els.submit.hidden = false;
  els.submit.disabled = false;
  els.submit.textContent = "Check answer";
  els.skip.hidden = false;
  els.form.hidden = false;
  els.kbdHint.textContent =
    question.type === "conceptual"
      ? "Enter checks · Shift+Enter for a new line"
      : question.parts.length > 1
        ? "Enter moves to the next empty box, then checks"
        : "Enter checks your answer";
  els.question.setAttribute("aria-busy", "false");
  announce(`New ${question.type} question${question.topic ? ` on ${pretty(question.topic)}` : ""}.`);
  if (focus) {
    const first = state.fields.essay || (state.fields.inputs[0] && state.fields.inputs[0].input);
    els.question.scrollIntoView({ block: "start", behavior: scrollBehavior() });
    if (first) first.focus({ preventScroll: true });
  }
}

function scrollBehavior() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
}

// ------------------------------------------------------------------ answering

function collectResponse() {
  const fields = state.fields;
  if (fields.essay) return fields.essay.value.trim() || null;
  if (fields.free && fields.free.value.trim()) return fields.free.value.trim();
  const response = {};
  for (const { name, input } of fields.inputs) {
    if (input.value.trim()) response[name] = input.value.trim();
  }
  return Object.keys(response).length ? response : null;
}

function allInputs() {
  const fields = state.fields;
  return [...fields.inputs.map((x) => x.input), fields.free, fields.essay].filter(Boolean);
}

function onAnswerKeydown(event) {
  if (event.key !== "Enter" || event.isComposing || state.graded) return;
  const target = event.target;
  if (target.tagName === "TEXTAREA") {
    if (event.shiftKey) return;
    event.preventDefault();
    els.form.requestSubmit();
    return;
  }
  if (target.tagName !== "INPUT") return;
  event.preventDefault();
  const parts = state.fields.inputs.map((x) => x.input);
  const freeUsed = state.fields.free && state.fields.free.value.trim();
  if (parts.includes(target) && target.value.trim() && !freeUsed) {
    const start = parts.indexOf(target);
    const empty = [...parts.slice(start + 1), ...parts.slice(0, start)].find((input) => !input.value.trim());
    if (empty) {
      empty.focus();
      return;
    }
  }
  els.form.requestSubmit();
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.graded || state.grading || !state.question) return;
  const response = collectResponse();
  if (response === null) {
    setFormError(state.question.type === "conceptual" ? "Write your answer first." : "Type at least one value first.");
    const first = allInputs()[0];
    if (first) first.focus();
    return;
  }
  setFormError("");
  const question = state.question;
  state.grading = true;
  els.submit.disabled = true;
  els.submit.textContent = "Checking…";
  els.form.setAttribute("aria-busy", "true");
  let result;
  try {
    result = await api.grade(question.id, response);
  } catch (error) {
    setFormError(error instanceof api.ApiError ? error.message : "Could not check the answer. Try again.");
    return;
  } finally {
    state.grading = false;
    els.submit.disabled = false;
    els.submit.textContent = "Check answer";
    els.form.removeAttribute("aria-busy");
  }
  if (state.question !== question) return; // the student moved on meanwhile
  showFeedback(result, question);
}

function nextButton(where) {
  return h(
    "button",
    {
      type: "button",
      class: "button primary next",
      id: where === "top" ? "next" : null,
      onclick: () => nextQuestion({ focus: true }),
    },
    "Next question",
    h("span", { "aria-hidden": "true", text: " →" }),
  );
}

function showFeedback(result, question) {
  const graded = result.status === "graded";
  for (const input of allInputs()) input.removeAttribute("aria-invalid");
  if (graded) {
    state.graded = true;
    for (const input of allInputs()) input.readOnly = true;
    els.submit.hidden = true;
    els.skip.hidden = true;
    els.kbdHint.textContent = "";
    const prompt = plainSnippet(question.text) || pretty(question.kind);
    progress.record({ ...question, prompt }, result, mistakeNames(result));
    renderStreak();
    renderProgress();
    renderMistakes();
  } else {
    const unreadable = new Set((result.parts || []).filter((p) => p.status === "unreadable").map((p) => p.name));
    for (const { name, input } of state.fields.inputs) {
      if (unreadable.has(name)) input.setAttribute("aria-invalid", "true");
    }
  }
  fill(els.feedback, feedbackView(result, question, nextButton));
  els.feedback.hidden = false;
  announce(announcement(result));
  if (graded) {
    els.feedback.scrollIntoView({ block: "start", behavior: scrollBehavior() });
    $("next").focus({ preventScroll: true });
  } else {
    const invalid = allInputs().find((input) => input.getAttribute("aria-invalid") === "true");
    (invalid || allInputs()[0]).focus();
  }
}

// ------------------------------------------------------------------ progress panels

function renderStreak() {
  const { current, best } = progress.streak;
  els.streakCurrent.textContent = String(current);
  els.streakBest.textContent = String(best);
}

function renderProgress() {
  const stats = progress.topicStats().filter((s) => s.answered > 0);
  if (!stats.length) {
    fill(
      els.progress,
      h("p", { class: "empty", text: "Answer a question to start tracking your progress." }),
      progress.persistent ? null : h("p", { class: "note", text: "This browser does not keep data: progress lasts for this visit." }),
    );
    return;
  }
  stats.sort((a, b) => b.answered - a.answered || a.topic.localeCompare(b.topic));
  const answered = stats.reduce((n, s) => n + s.answered, 0);
  const correct = stats.reduce((n, s) => n + s.correct, 0);
  const rows = stats.map((s) => {
    const bar = h("span", { class: "bar-fill" });
    bar.style.width = `${Math.round((s.correct / s.answered) * 100)}%`;
    return h(
      "li",
      { class: "topic-progress", "data-topic": s.topic },
      h("span", { class: "topic-name", text: pretty(s.topic) }),
      h("span", { class: "topic-numbers", text: `${s.correct}/${s.answered} right · avg ${percent(s.scoreSum / s.answered)}` }),
      h("span", { class: "bar", "aria-hidden": "true" }, bar),
    );
  });
  fill(
    els.progress,
    h("p", { class: "totals", id: "totals", text: `${correct} of ${answered} answers fully right` }),
    h("ul", { class: "topic-list" }, rows),
  );
}

function renderMistakes() {
  const list = progress.mistakes();
  if (!list.length) {
    fill(els.mistakes, h("p", { class: "empty", text: "No mistakes to review. Answers that were not fully right land here." }));
    return;
  }
  const items = list.map((m) =>
    h(
      "li",
      { class: "mistake-item" },
      h(
        "button",
        {
          type: "button",
          class: "mistake-retry",
          onclick: () => nextQuestion({ focus: true, retry: m }),
        },
        h("span", { class: "visually-hidden", text: "Retry: " }),
        h("span", { class: "mistake-prompt", text: m.prompt }),
        h("span", { class: "mistake-meta", text: `${pretty(m.topic)} · ${percent(m.score)}` }),
        m.mistakes.length ? h("span", { class: "mistake-names", text: m.mistakes.join(" · ") }) : null,
      ),
      h(
        "button",
        {
          type: "button",
          class: "mistake-remove",
          "aria-label": `Remove from the list: ${m.prompt}`,
          title: "Remove from the list",
          onclick: () => {
            progress.forgetMistake(m.id);
            renderMistakes();
            els.mistakes.querySelector("button")?.focus();
          },
        },
        h("span", { "aria-hidden": "true", text: "×" }),
      ),
    ),
  );
  fill(
    els.mistakes,
    h("p", { class: "hint", text: `${list.length} to review — pick one to try it again.` }),
    h("ul", { class: "mistake-list", id: "mistake-list" }, items),
  );
}

// ------------------------------------------------------------------ start

function wire() {
  els.chooser.addEventListener("submit", (event) => event.preventDefault());
  els.topic.addEventListener("change", () => {
    updateModes();
    progress.setPrefs({ topic: els.topic.value, mode: mode() });
    nextQuestion({ focus: false });
  });
  els.modes.addEventListener("change", () => {
    progress.setPrefs({ topic: els.topic.value, mode: mode() });
    nextQuestion({ focus: false });
  });
  els.form.addEventListener("submit", onSubmit);
  els.form.addEventListener("keydown", onAnswerKeydown);
  els.skip.addEventListener("click", () => nextQuestion({ focus: true }));
  els.retry.addEventListener("click", () => {
    const retry = state.retryProblem;
    hideProblem();
    if (retry) retry();
  });
  let armed = null;
  els.reset.addEventListener("click", () => {
    if (!armed) {
      els.reset.textContent = "Click again to erase all progress";
      armed = window.setTimeout(() => {
        armed = null;
        els.reset.textContent = "Reset progress";
      }, 5000);
      return;
    }
    window.clearTimeout(armed);
    armed = null;
    progress.reset();
    els.reset.textContent = "Reset progress";
    renderStreak();
    renderProgress();
    renderMistakes();
    announce("Progress erased.");
  });
}

async function start() {
  wire();
  renderStreak();
  renderProgress();
  renderMistakes();
  try {
    const [topics, conceptual] = await Promise.all([api.topics(), api.conceptualQuestions()]);
    state.topics = Array.isArray(topics.items)
      ? topics.items.map((t) => ({
          topic: String(t.topic),
          count: Number(t.count) || 0,
          practice_kinds: Array.isArray(t.practice_kinds) ? t.practice_kinds.map(String) : [],
        }))
      : [];
    state.conceptual = conceptual.map((q) => ({ id: String(q.id), topic: String(q.topic), prompt: String(q.prompt || "") }));
  } catch (error) {
    fill(els.body);
    showProblem(error instanceof api.ApiError ? error.message : "Could not start.", () => {
      window.location.reload();
    });
    return;
  }
  fillTopics();
  const prefs = progress.prefs;
  if ([...els.topic.options].some((o) => o.value === prefs.topic)) els.topic.value = prefs.topic;
  const radio = $(`mode-${prefs.mode}`);
  if (radio) radio.checked = true;
  updateModes();
  document.documentElement.dataset.ready = "true";
  await nextQuestion({ focus: false });
}

start();
