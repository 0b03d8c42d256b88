// The service's REST API, as the page uses it. Errors become ApiError with a message for people.

const TIMEOUT_MS = 20000;

export class ApiError extends Error {
  constructor(message, { status = 0, code = "network" } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function describe(status, body) {
  const error = body && typeof body === "object" ? body.error : null;
  const message = error && typeof error.message === "string" ? error.message : "";
  if (status === 413) return "That answer is too long to send. Shorten it and try again.";
  if (status === 404) return message || "Not found.";
  if (status >= 500) return "The service hit a problem. Try again in a moment.";
  return message || `The service answered ${status}.`;
}

async function request(path, { method = "GET", body, signal } = {}) {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
  const signals = signal ? [signal, timeout.signal] : [timeout.signal];
  const init = {
    method,
    signal: AbortSignal.any ? AbortSignal.any(signals) : timeout.signal,
    headers: { accept: "application/json" },
    credentials: "same-origin",
  };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let reply;
  try {
    reply = await fetch(path, init);
  } catch (error) {
    if (signal && signal.aborted) throw error; // a newer request replaced this one
    if (timeout.signal.aborted) throw new ApiError("The service took too long to answer. Try again.");
    throw new ApiError("Cannot reach the examgrader service. Is it still running?");
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = await reply.json();
  } catch {
    data = null;
  }
  if (!reply.ok) {
    const code = data && data.error && typeof data.error.code === "string" ? data.error.code : "http";
    throw new ApiError(describe(reply.status, data), { status: reply.status, code });
  }
  if (data === null || typeof data !== "object") throw new ApiError("The service sent an unreadable reply.");
  return data;
}

export function topics(signal) {
  return request("/v1/topics", { signal });
}

export function practice({ topic, kind, seed } = {}, signal) {
  return request(`/v1/practice${query({ topic, kind, seed })}`, { signal });
}

/** Every conceptual question of the bank (summaries), across pages. */
export async function conceptualQuestions(signal) {
  const items = [];
  const limit = 100;
  for (let page = 0; page < 20; page += 1) {
    const body = await request(`/v1/questions${query({ kind: "conceptual", limit, offset: page * limit })}`, {
      signal,
    });
    const batch = Array.isArray(body.items) ? body.items : [];
    items.push(...batch);
    if (batch.length < limit || items.length >= body.total) break;
  }
  return items;
}

export function question(id, signal) {
  return request(`/v1/questions/${encodeURIComponent(id)}`, { signal });
}

export function grade(questionId, response, signal) {
  return request("/v1/grade", { method: "POST", body: { question_id: questionId, response }, signal });
}
