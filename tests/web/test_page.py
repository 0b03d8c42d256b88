"""The self-quiz page in real headless Chromium: the answering loops, feedback, progress, safety, looks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from question_bank.loader import load_bank
from solvers.practice import PracticeQuestion, regenerate
from tests.web.conftest import LAPTOP, PHONE, Watch, open_context, watch_page

ENTRY = load_bank().get("overfitting-and-underfitting")  # the only conceptual question of "generalization"
assert ENTRY is not None
CONCEPTUAL_ANSWER = (
    "Overfitting means the model memorises the training data including its noise, so it does well on "
    "training data but poorly on unseen data."
)
CONCEPTUAL_SLIP = "Overfitting has high bias."
HOSTILE = "<img src=x onerror=window.__pwned=1>"


class PracticeRoute:
    """Serve the practice question of a given kind and seed while `target` is set; else pass through."""

    def __init__(self, page: Page, server: str) -> None:
        self.server = server
        self.target: tuple[str, int] | None = None
        page.route("**/v1/practice*", self._handle)

    def _handle(self, route: Route) -> None:
        if self.target is None:
            route.fallback()
            return
        kind, seed = self.target
        route.continue_(url=f"{self.server}/v1/practice?kind={kind}&seed={seed}")


def practice_with(kind: str, parts: set[str]) -> tuple[int, PracticeQuestion]:
    """The first seed whose question asks at least `parts`."""
    for seed in range(1, 1000):
        drawn = regenerate(f"practice:{kind}:{seed}")
        if parts <= set(drawn.solution.asked):
            return seed, drawn
    raise AssertionError(f"no {kind} practice question asks {parts}")


def typed(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return "[" + ", ".join(typed(v) for v in value) + "]"
    return str(value)


def label_of(drawn: PracticeQuestion, name: str) -> str:
    return drawn.solution.spec(name).label


def wait_for_question(page: Page) -> None:
    expect(page.locator("#question")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#answer-form")).to_be_visible()


def start(page: Page, server: str, topic: str | None = None, mode: str | None = None) -> None:
    page.goto(f"{server}/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    if topic is not None:
        page.select_option("#topic", topic)
    if mode is not None:
        page.click(f"label[for=mode-{mode}]")
    wait_for_question(page)


def answer_numeric(page: Page, drawn: PracticeQuestion, values: dict[str, Any]) -> None:
    """Fill each labelled box in order; Enter moves on to the next empty box and submits from the last."""
    asked = drawn.solution.asked
    for index, name in enumerate(asked):
        box = page.get_by_label(label_of(drawn, name), exact=True)
        expect(box).to_be_focused()
        box.fill(typed(values[name]))
        box.press("Enter")
        if index + 1 < len(asked):
            expect(page.locator("#feedback")).to_be_hidden()


# ------------------------------------------------------------------ loops


def test_numeric_question_full_loop(page: Page, server: str) -> None:
    practice = PracticeRoute(page, server)
    seed, drawn = practice_with("confusion_binary", {"precision", "recall"})
    practice.target = ("confusion_binary", seed)
    start(page, server, topic="evaluation", mode="numeric")

    body = page.locator("#question-body")
    text = body.inner_text()
    assert "\\begin" not in text and "|---" not in text and "$" not in text, text
    for name in drawn.solution.asked:
        expect(page.get_by_label(label_of(drawn, name), exact=True)).to_be_visible()
    expect(page.get_by_label("Or write it all in one line")).to_be_visible()

    page.get_by_label(label_of(drawn, drawn.solution.asked[0]), exact=True).focus()
    answer_numeric(page, drawn, drawn.solution.answer)

    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    expect(page.locator("#feedback-heading")).to_have_text("Right — well done")
    expect(feedback.locator(".score-number")).to_have_text("100\u00a0%")
    expect(feedback.locator(".result-part.status-correct")).to_have_count(len(drawn.solution.asked))
    expect(feedback.locator(".steps .katex").first).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text("Score 100")
    expect(page.locator("#next")).to_be_focused()
    expect(page.locator("#streak-current")).to_have_text("1")
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")

    practice.target = None  # the next question is drawn fresh by the service
    page.keyboard.press("Enter")
    expect(feedback).to_be_hidden()
    wait_for_question(page)
    expect(body).not_to_have_text(text)
    expect(page.locator("#answer-fields input").first).to_be_focused()


def test_wrong_answer_names_the_mistake_and_shows_the_solution(page: Page, server: str) -> None:
    practice = PracticeRoute(page, server)
    seed, drawn = practice_with("confusion_binary", {"precision", "recall"})
    practice.target = ("confusion_binary", seed)
    start(page, server, topic="evaluation", mode="numeric")
    right = drawn.solution.answer
    swapped = {**right, "precision": right["recall"], "recall": right["precision"]}
    page.get_by_label(label_of(drawn, drawn.solution.asked[0]), exact=True).focus()
    answer_numeric(page, drawn, swapped)

    expect(page.locator("#feedback-heading")).to_have_text("Partly right")
    variant = next(v for v in drawn.variants if v.code == "precision_recall_swapped")
    in_words = variant.feedback.split(":")[0]  # "You swapped precision and recall"
    precision = page.locator(".result-part", has_text="Precision").first
    expect(precision).to_have_class(re.compile(r"\bstatus-wrong\b"))
    expect(precision.locator(".badge")).to_have_text("✗ Wrong")
    expect(precision.locator(".mistake-name")).to_have_text(in_words)
    expect(precision.locator(".values")).to_contain_text(f"{right['precision']:.4g}")
    expect(page.locator("#announcer")).to_contain_text(f"Mistake: {in_words}.")
    expect(page.locator(".steps .step")).not_to_have_count(0)
    expect(page.locator(".steps .katex").first).to_be_visible()
    expect(page.locator(".conventions li").first).to_be_visible()
    expect(page.locator("#streak-current")).to_have_text("0")
    expect(page.locator("#mistake-list li")).to_have_count(1)
    expect(page.locator("#mistake-list")).to_contain_text(in_words)


def test_unreadable_answer_is_not_graded_and_can_be_fixed(page: Page, server: str) -> None:
    practice = PracticeRoute(page, server)
    seed, drawn = practice_with("confusion_binary", {"precision"})
    practice.target = ("confusion_binary", seed)
    start(page, server, topic="evaluation", mode="numeric")
    page.get_by_label("Or write it all in one line").fill("no idea")
    page.get_by_label("Or write it all in one line").press("Enter")
    expect(page.locator("#feedback-heading")).to_have_text("Could not read your answer")
    expect(page.locator("#next")).to_have_count(0)
    expect(page.locator("#streak-best")).to_have_text("0")
    expect(page.locator("#progress")).to_contain_text("Answer a question to start")

    boxes = page.locator("#answer-fields .part-field input")
    page.get_by_label("Or write it all in one line").fill("")
    for index, name in enumerate(drawn.solution.asked):
        boxes.nth(index).fill(typed(drawn.solution.answer[name]))
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#feedback-heading")).to_have_text("Right — well done")


def test_empty_answer_asks_for_one_without_calling_the_grader(page: Page, server: str) -> None:
    start(page, server, topic="generalization", mode="conceptual")
    graded: list[str] = []
    page.on("request", lambda request: graded.append(request.url) if "/v1/grade" in request.url else None)
    page.get_by_label("Your answer").press("Enter")
    expect(page.locator("#form-error")).to_have_text("Write your answer first.")
    expect(page.get_by_label("Your answer")).to_be_focused()
    assert graded == []


def test_conceptual_question_full_loop(page: Page, server: str) -> None:
    start(page, server, topic="generalization", mode="conceptual")
    expect(page.locator("#question-body")).to_have_text(ENTRY.prompt)
    essay = page.get_by_label("Your answer")
    essay.fill(CONCEPTUAL_ANSWER)
    essay.press("Shift+Enter")  # a new line, not a submission
    essay.press_sequentially(CONCEPTUAL_SLIP)
    expect(page.locator("#feedback")).to_be_hidden()
    assert essay.input_value() == f"{CONCEPTUAL_ANSWER}\n{CONCEPTUAL_SLIP}"
    essay.press("Enter")

    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    expect(page.locator("#feedback-heading")).to_have_text(re.compile("Partly right|Not quite"))
    expect(feedback).to_contain_text("Misconceptions in your answer")
    named = next(m for m in ENTRY.misconceptions if m.id == "bias-variance-swapped")
    slip = feedback.locator(".misconception")
    expect(slip.locator(".mistake-name")).to_have_text(named.text)
    expect(slip.locator(".part-feedback")).to_have_text(named.feedback)
    expect(slip.locator(".evidence q")).to_contain_text("high bias")
    expect(
        feedback.get_by_role("heading", name=re.compile(r"Key points you covered \(\d+\)"))
    ).to_be_visible()
    expect(feedback.get_by_role("heading", name=re.compile(r"Key points you missed \(\d+\)"))).to_be_visible()
    expect(feedback.locator(".keypoint")).to_have_count(len(ENTRY.key_points))
    expect(feedback.locator(".keypoint .badge", has_text="Covered").first).to_be_visible()
    model = feedback.locator(".model-answer")
    expect(model.get_by_role("heading", name="Overfitting", exact=True)).to_be_visible()
    expect(model).not_to_contain_text("##")
    expect(page.locator("#announcer")).to_contain_text(f"Mistake: {named.text}")
    expect(page.locator("#next")).to_be_focused()
    expect(page.locator("#mistake-list li")).to_have_count(1)


# ------------------------------------------------------------------ progress


def test_progress_streak_and_mistakes_survive_a_reload(page: Page, server: str) -> None:
    practice = PracticeRoute(page, server)
    seed, drawn = practice_with("confusion_binary", {"precision", "recall"})
    practice.target = ("confusion_binary", seed)
    start(page, server, topic="evaluation", mode="numeric")
    page.get_by_label(label_of(drawn, drawn.solution.asked[0]), exact=True).focus()
    answer_numeric(page, drawn, drawn.solution.answer)
    expect(page.locator("#streak-current")).to_have_text("1")

    wrong_seed, wrong = practice_with("confusion_binary", {"accuracy"})
    practice.target = ("confusion_binary", wrong_seed)
    page.locator("#next").click()
    wait_for_question(page)
    question_text = page.locator("#question-body").inner_text()
    answer_numeric(page, wrong, {name: 0.01 for name in wrong.solution.asked})
    expect(page.locator("#feedback-heading")).to_have_text("Not quite")

    def check() -> None:
        expect(page.locator("#streak-current")).to_have_text("0")
        expect(page.locator("#streak-best")).to_have_text("1")
        expect(page.locator("#totals")).to_have_text("1 of 2 answers fully right")
        expect(page.locator(".topic-progress[data-topic=evaluation]")).to_contain_text("1/2 right")
        expect(page.locator("#mistake-list li")).to_have_count(1)

    check()
    practice.target = None
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    check()
    expect(page.locator("#topic")).to_have_value("evaluation")
    expect(page.locator("#mode-numeric")).to_be_checked()

    page.locator("#mistake-list .mistake-retry").click()
    wait_for_question(page)
    expect(page.locator("#question-body")).to_have_text(question_text)
    expect(page.locator("#question-chips")).to_contain_text("Review")
    answer_numeric(page, wrong, wrong.solution.answer)
    expect(page.locator("#feedback-heading")).to_have_text("Right — well done")
    expect(page.locator("#mistake-list li")).to_have_count(0)
    expect(page.locator("#mistakes")).to_contain_text("No mistakes to review")


# ------------------------------------------------------------------ safety


def hostile_grade(question_id: str) -> dict[str, Any]:
    part = {
        "name": "leak",
        "label": HOSTILE,
        "status": "wrong",
        "score": 0.0,
        "correct": False,
        "expected": HOSTILE,
        "given": "<script>window.__pwned=2</script>",
        "feedback": f"{HOSTILE}: <b>bold</b> [link](javascript:window.__pwned=3) "
        "$\\href{javascript:alert(1)}{x}$",
        "misconception": "html_in_text",
        "weight": 1.0,
        "evidence": None,
    }
    return {
        "status": "graded",
        "score": 0.0,
        "correct": False,
        "parts": [part],
        "feedback": HOSTILE,
        "needs_review": True,
        "review_reasons": [HOSTILE],
        "misconceptions": ["html_in_text"],
        "misconceptions_found": [],
        "confidence": 1.0,
        "solution": {
            "kind": "leak",
            "asked": ["leak"],
            "answer": {"leak": HOSTILE},
            "steps": [
                {
                    "title": HOSTILE,
                    "text": "<iframe src=javascript:alert(1)></iframe> $\\href{javascript:alert(2)}{click}$",
                    "latex": "\\href{javascript:alert(3)}{click} \\htmlClass{x}{y} "
                    "\\url{javascript:alert(4)} \\text{<img src=x onerror=alert(5)>}",
                }
            ],
            "conventions": [HOSTILE],
            "answer_markdown": None,
        },
        "kind": "leak",
        "question_id": question_id,
    }


def test_hostile_text_from_the_service_stays_inert(page: Page, server: str, artifacts: Path) -> None:
    question_id = "practice:leak:1"
    practice_body = {
        "question_id": question_id,
        "kind": "leak",
        "topic": "evaluation",
        "question": (
            f"{HOSTILE} <script>window.__pwned=4</script>\n"
            "[click me](javascript:window.__pwned=5) **bold** $\\href{javascript:alert(6)}{x}$\n"
            "$$\\href{javascript:alert(7)}{y}$$\n"
            "| <img src=x onerror=alert(8)> | b |\n|---|---|\n| 1 | 2 |"
        ),
        "asked": ["leak"],
        "parts": [{"name": "leak", "label": HOSTILE, "kind": "scalar"}],
    }
    page.route(
        "**/v1/practice*",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(practice_body)
        ),
    )
    page.route(
        "**/v1/grade",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(hostile_grade(question_id))
        ),
    )
    start(page, server, topic="evaluation", mode="numeric")

    box = page.get_by_label(HOSTILE, exact=True)  # the label is shown as the text it is
    expect(box).to_be_visible()
    expect(page.locator("#question-body")).to_contain_text(HOSTILE)
    expect(page.locator("#question-body")).to_contain_text("<script>window.__pwned=4</script>")
    expect(page.locator("#question-body strong")).to_have_text("bold")
    box.fill("1")
    box.press("Enter")
    expect(page.locator("#feedback-heading")).to_have_text("Not quite")
    expect(page.locator(".result-part .part-label")).to_have_text(HOSTILE)
    expect(page.locator(".step-title")).to_have_text(HOSTILE)
    expect(page.locator(".conventions")).to_contain_text(HOSTILE)
    page.wait_for_timeout(300)

    found = page.evaluate(
        """() => ({
            pwned: window.__pwned === undefined ? null : window.__pwned,
            imgs: document.querySelectorAll("img, iframe, object, embed").length,
            scripts: document.scripts.length,
            links: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")),
            handlers: [...document.querySelectorAll("*")].filter((el) =>
                [...el.attributes].some((attr) => attr.name.startsWith("on"))).length,
        })"""
    )
    assert found == {"pwned": None, "imgs": 0, "scripts": 2, "links": ["#question"], "handlers": 0}
    page.screenshot(path=artifacts / "hostile-laptop-light.png", full_page=True)


def test_no_request_leaves_the_machine(page: Page, server: str, watch: Watch) -> None:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    practice = PracticeRoute(page, server)
    practice.target = (
        "dropout",
        next(s for s in range(1, 500) if "$" in regenerate(f"practice:dropout:{s}").question),
    )
    start(page, server, topic="regularization", mode="numeric")
    expect(page.locator("#question-body .katex").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert seen and all(url.startswith(f"{server}/") for url in seen), seen
    fetched = {url.removeprefix(server).split("?")[0] for url in seen}
    assert {
        "/",
        "/static/app.js",
        "/static/vendor/katex/katex.min.js",
        "/v1/topics",
        "/v1/practice",
    } <= fetched
    assert any(url.endswith(".woff2") for url in fetched), "the KaTeX fonts come from this server"
    assert watch.outside == []


# ------------------------------------------------------------------ the Markdown and math renderer

SUMMARY = """async ([source, options]) => {
  const { renderMarkdown } = await import("/static/markdown.js");
  const sum = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return JSON.stringify(node.textContent);
    if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return [...node.childNodes].map(sum).join(" ");
    const classes = node.classList;
    if (classes.contains("math-flow")) return "flow";
    if (classes.contains("math-error")) return `error(${JSON.stringify(node.textContent)})`;
    if (classes.contains("math")) {
      const tex = (node.querySelector("annotation") || {}).textContent || "";
      return `${classes.contains("math-display") ? "display" : "math"}(${JSON.stringify(tex)})`;
    }
    if (classes.contains("table-scroll")) return sum(node.firstChild);
    const kids = [...node.childNodes].map(sum).join(" ");
    return node.tagName.toLowerCase() + (kids ? `[${kids}]` : "");
  };
  return sum(renderMarkdown(source, options));
}"""
MARKDOWN_CASES = [
    (
        "**bold**, *em*, `a<b>` and fan_in = fan_out * 2",
        {},
        'p[strong["bold"] ", " em["em"] ", " code["a<b>"] " and fan_in = fan_out * 2"]',
    ),
    (
        "Let $w = 1$ and $\\lambda$; costs \\$5 and $5 total",
        {},
        'p["Let " math("w = 1") " and " math("\\\\lambda") "; costs $5 and $5 total"]',
    ),
    ("line one\nline two", {"breaks": True}, 'p["line one" br "line two"]'),
    ("line one\nline two", {}, 'p["line one line two"]'),
    (
        "## Head\n\n1. one\n2. two\n   - nested\n\n- a\n- b",
        {},
        'h4["Head"] ol[li["one"] li["two" ul[li["nested"]]]] ul[li["a"] li["b"]]',
    ),
    ("- a\nnot in the list", {"breaks": True}, 'ul[li["a"]] p["not in the list"]'),
    (
        "| x | y |\n|---|--:|\n| `a|b` | 2 |",
        {},
        'table[thead[tr[th["x"] th["y"]]] tbody[tr[td[code["a|b"]] td["2"]]]]',
    ),
    ("```python\nprint('<b>')\n```\nafter", {"breaks": True}, 'pre[code["print(\'<b>\')"]] p["after"]'),
    ("$$\nx^2\n$$\ntext", {}, 'display("x^2") p["text"]'),
    ("$$\na = b\n$$", {}, "flow"),
    (
        "\\begin{tabular}{c|cc} & \\multicolumn{2}{c}{Predicted} \\\\ Actual & A & B \\\\ \\hline "
        "A & 1 & 2 \\end{tabular}\nAsk?",
        {"breaks": True},
        'table[thead[tr[th th["Predicted"]] tr[th["Actual"] th["A"] th["B"]]]'
        ' tbody[tr[th["A"] td["1"] td["2"]]]] p["Ask?"]',
    ),
    (
        "<img src=x onerror=alert(1)> [x](javascript:alert(1)) \\(x^2\\)",
        {},
        'p["<img src=x onerror=alert(1)> [x](javascript:alert(1)) " math("x^2")]',
    ),
    ("> quoted *text*", {}, 'blockquote[p["quoted " em["text"]]]'),
    ("$\\frac{1}{$", {}, 'p[error("\\\\frac{1}{")]'),
    ("a_1 and _b_ and 2 * 3 * 4", {}, 'p["a_1 and " em["b"] " and 2 * 3 * 4"]'),
]


def test_markdown_and_math_render_to_the_expected_nodes(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    wrong = {}
    for source, options, expected in MARKDOWN_CASES:
        got = page.evaluate(SUMMARY, [source, options])
        if got != expected:
            wrong[source] = got
    assert wrong == {}


# ------------------------------------------------------------------ looks and access

CONTRAST = """(selectors) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return parse(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  };
  const worst = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.offsetParent) continue;
      const a = lum(parse(getComputedStyle(el).color).slice(0, 3));
      const b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) worst.push(`${selector}: ${ratio.toFixed(2)}`);
    }
  }
  return worst;
}"""
TEXT_SELECTORS = [
    "body",
    "label",
    ".hint",
    ".chip",
    ".kbd-hint",
    ".button",
    ".segmented label",
    "#feedback-heading",
    ".score-detail",
    ".badge",
    ".mistake-tag",
    ".part-feedback",
    ".values dt",
    ".step-title",
    ".conventions",
    ".topic-numbers",
    ".mistake-meta",
    ".mistake-names",
    ".streak-best",
    ".footer",
]


def unlabelled_controls(page: Page) -> list[str]:
    result: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea, button")]
            .filter((el) => el.offsetParent !== null || el.type === "radio")
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                            && !(el.tagName === "BUTTON" && el.textContent.trim()))
            .map((el) => el.outerHTML.slice(0, 80))"""
    )
    return result


def fits_the_width(page: Page) -> bool:
    wide: bool = page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    return wide


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_main_states_look_right(
    browser: Browser, server: str, artifacts: Path, device: str, scheme: str
) -> None:
    """Screenshots of the main states (saved as test artifacts), contrast, labels and width checked."""
    watch = Watch(server)
    viewport = LAPTOP if device == "laptop" else PHONE
    context = open_context(browser, watch, viewport, scheme)
    try:
        page = watch_page(context.new_page(), watch)
        practice = PracticeRoute(page, server)
        seed, drawn = practice_with("confusion_binary", {"precision", "recall"})
        practice.target = ("confusion_binary", seed)

        def shot(state: str) -> None:
            page.wait_for_timeout(150)
            page.screenshot(path=artifacts / f"{state}-{device}-{scheme}.png", full_page=True)
            assert fits_the_width(page), f"{state}: the page scrolls sideways at {viewport['width']} px"
            assert page.evaluate(CONTRAST, TEXT_SELECTORS) == [], f"{state}: low contrast"
            assert unlabelled_controls(page) == [], f"{state}: controls without a label"

        start(page, server, topic="evaluation", mode="numeric")
        shot("numeric-question")
        page.get_by_label(label_of(drawn, drawn.solution.asked[0]), exact=True).focus()
        right = drawn.solution.answer
        answer_numeric(page, drawn, {**right, "precision": right["recall"], "recall": right["precision"]})
        expect(page.locator("#feedback-heading")).to_have_text("Partly right")
        shot("numeric-feedback")

        page.select_option("#topic", "generalization")
        wait_for_question(page)
        shot("conceptual-question")
        page.get_by_label("Your answer").fill(f"{CONCEPTUAL_ANSWER} {CONCEPTUAL_SLIP}")
        page.get_by_label("Your answer").press("Enter")
        expect(page.locator("#feedback")).to_be_visible()
        shot("conceptual-feedback")
    finally:
        context.close()
    assert not watch.problems(), watch.problems()
