// Progress kept in this browser (localStorage): per topic, the streak, the mistakes to review, the last choice.
// Stored data is checked field by field when read: a damaged or foreign value is dropped, not trusted.

const KEY = "examgrader.progress.v1";
const MAX_MISTAKES = 30;
const MAX_SEEN = 500;
const MAX_TEXT = 240;

function emptyState() {
  return {
    version: 1,
    topics: {},
    streak: { current: 0, best: 0 },
    mistakes: [],
    seen: {},
    prefs: { topic: "", mode: "mixed" },
  };
}

const count = (value) => (Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0);
const fraction = (value) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);
const text = (value, max = MAX_TEXT) => (typeof value === "string" ? value.slice(0, max) : "");
const isRecord = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

function clean(raw) {
  const state = emptyState();
  if (!isRecord(raw) || raw.version !== 1) return state;
  if (isRecord(raw.topics)) {
    for (const [topic, stats] of Object.entries(raw.topics).slice(0, 100)) {
      if (!isRecord(stats)) continue;
      const answered = count(stats.answered);
      state.topics[text(topic, 60)] = {
        answered,
        correct: Math.min(count(stats.correct), answered),
        scoreSum: Math.min(Math.max(0, Number(stats.scoreSum) || 0), answered),
      };
    }
  }
  if (isRecord(raw.streak)) {
    state.streak.current = count(raw.streak.current);
    state.streak.best = Math.max(count(raw.streak.best), state.streak.current);
  }
  if (Array.isArray(raw.mistakes)) {
    state.mistakes = raw.mistakes
      .filter((m) => isRecord(m) && typeof m.id === "string" && m.id)
      .slice(0, MAX_MISTAKES)
      .map((m) => ({
        id: text(m.id, 200),
        type: m.type === "conceptual" ? "conceptual" : "numeric",
        topic: text(m.topic, 60),
        prompt: text(m.prompt),
        score: fraction(m.score),
        mistakes: Array.isArray(m.mistakes) ? m.mistakes.filter((x) => typeof x === "string").slice(0, 5).map((x) => text(x)) : [],
        at: text(m.at, 40),
      }));
  }
  if (isRecord(raw.seen)) {
    for (const [id, seen] of Object.entries(raw.seen).slice(0, MAX_SEEN)) {
      if (isRecord(seen)) state.seen[text(id, 200)] = { best: fraction(seen.best), last: count(seen.last) };
    }
  }
  if (isRecord(raw.prefs)) {
    state.prefs.topic = text(raw.prefs.topic, 60);
    state.prefs.mode = ["numeric", "conceptual", "mixed"].includes(raw.prefs.mode) ? raw.prefs.mode : "mixed";
  }
  return state;
}

export class Progress {
  #state;
  #storage;

  constructor(storage = safeStorage()) {
    this.#storage = storage;
    this.#state = this.#read();
  }

  #read() {
    if (!this.#storage) return emptyState();
    try {
      return clean(JSON.parse(this.#storage.getItem(KEY) || "null"));
    } catch {
      return emptyState();
    }
  }

  #save() {
    if (!this.#storage) return;
    try {
      this.#storage.setItem(KEY, JSON.stringify(this.#state));
    } catch {
      // storage full or refused: progress lasts for this visit only
    }
  }

  get streak() {
    return { ...this.#state.streak };
  }

  get prefs() {
    return { ...this.#state.prefs };
  }

  get persistent() {
    return this.#storage !== null;
  }

  setPrefs(prefs) {
    this.#state.prefs = { ...this.#state.prefs, ...prefs };
    this.#save();
  }

  topicStats() {
    return Object.entries(this.#state.topics).map(([topic, stats]) => ({ topic, ...stats }));
  }

  mistakes() {
    return this.#state.mistakes.map((m) => ({ ...m, mistakes: [...m.mistakes] }));
  }

  seen(id) {
    return this.#state.seen[id] || null;
  }

  /**
   * Count a graded answer. `question` is {id, type, topic, prompt}; `result` is the grade reply.
   * An unreadable answer is not counted: nothing was graded.
   */
  record(question, result, mistakeNames = []) {
    if (result.status !== "graded") return;
    const score = fraction(result.score);
    const stats = this.#state.topics[question.topic] || { answered: 0, correct: 0, scoreSum: 0 };
    stats.answered += 1;
    stats.correct += result.correct ? 1 : 0;
    stats.scoreSum += score;
    this.#state.topics[question.topic] = stats;

    const streak = this.#state.streak;
    streak.current = result.correct ? streak.current + 1 : 0;
    streak.best = Math.max(streak.best, streak.current);

    if (question.type === "conceptual") {
      const before = this.#state.seen[question.id];
      this.#state.seen[question.id] = { best: Math.max(before ? before.best : 0, score), last: Date.now() };
    }

    this.#state.mistakes = this.#state.mistakes.filter((m) => m.id !== question.id);
    if (!result.correct) {
      this.#state.mistakes.unshift({
        id: question.id,
        type: question.type,
        topic: question.topic,
        prompt: text(question.prompt),
        score,
        mistakes: mistakeNames.slice(0, 5).map((x) => text(x)),
        at: new Date().toISOString(),
      });
      this.#state.mistakes.length = Math.min(this.#state.mistakes.length, MAX_MISTAKES);
    }
    this.#save();
  }

  /** Note that a conceptual question was shown, so the next pick prefers another. */
  markShown(id) {
    const before = this.#state.seen[id];
    this.#state.seen[id] = { best: before ? before.best : 0, last: Date.now() };
    const ids = Object.keys(this.#state.seen);
    if (ids.length > MAX_SEEN) {
      ids.sort((a, b) => this.#state.seen[a].last - this.#state.seen[b].last);
      for (const old of ids.slice(0, ids.length - MAX_SEEN)) delete this.#state.seen[old];
    }
    this.#save();
  }

  forgetMistake(id) {
    this.#state.mistakes = this.#state.mistakes.filter((m) => m.id !== id);
    this.#save();
  }

  reset() {
    const prefs = this.#state.prefs;
    this.#state = { ...emptyState(), prefs };
    this.#save();
  }
}

function safeStorage() {
  try {
    const storage = window.localStorage;
    const probe = `${KEY}.probe`;
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}
