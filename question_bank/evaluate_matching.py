"""Measure how well :class:`question_bank.match.BankMatcher` recognises and refuses questions.

``python -m question_bank.evaluate_matching [--data DIR] [--only tuning|holdout]``

Reads ``paraphrases.yaml`` (bank questions asked in other words, keyed by the id they must match)
and ``not_covered.yaml`` (questions the bank does not cover, which must be refused) from
``tests/question_bank/data`` of the source tree, or ``--data``. Each file has a ``tuning`` and a
``holdout`` part, scored separately and together. Prints top-1 accuracy (the accepted entry is the
expected one) and the rejection rate, lists every miss, and exits 1 when the whole set misses the
bar: top-1 >= 0.95 and rejection >= 0.90.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from question_bank.loader import QuestionBank, load_bank
from question_bank.match import BankMatch, BankMatcher

TOP1_BAR = 0.95
REJECTION_BAR = 0.90
PARTS = ("tuning", "holdout")


def default_data_dir() -> Path:
    """``tests/question_bank/data`` of the source tree this package sits in."""
    return Path(__file__).resolve().parent.parent / "tests" / "question_bank" / "data"


@dataclass(frozen=True)
class Paraphrase:
    part: str
    expected: str
    text: str


@dataclass(frozen=True)
class Negative:
    part: str
    text: str
    note: str


def _load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping with 'tuning' and 'holdout'")
    return data


def load_paraphrases(data_dir: Path) -> list[Paraphrase]:
    data = _load_yaml(data_dir / "paraphrases.yaml")
    found: list[Paraphrase] = []
    for part in PARTS:
        groups = data.get(part) or {}
        if not isinstance(groups, dict):
            raise ValueError(f"paraphrases.yaml: {part}: expected a mapping of id to questions")
        for expected, texts in groups.items():
            found.extend(Paraphrase(part, str(expected), str(text)) for text in texts)
    return found


def load_negatives(data_dir: Path) -> list[Negative]:
    data = _load_yaml(data_dir / "not_covered.yaml")
    found: list[Negative] = []
    for part in PARTS:
        for item in data.get(part) or []:
            found.append(Negative(part, str(item["text"]), str(item.get("note", ""))))
    return found


@dataclass(frozen=True)
class Report:
    """Outcomes of one evaluation run."""

    paraphrases: list[tuple[Paraphrase, BankMatch]]
    negatives: list[tuple[Negative, BankMatch]]
    median_ms: float
    slowest_ms: float

    def top1(self, part: str | None = None) -> tuple[int, int]:
        rows = [(p, m) for p, m in self.paraphrases if part is None or p.part == part]
        hits = sum(1 for p, m in rows if m.entry is not None and m.entry.id == p.expected)
        return hits, len(rows)

    def rejection(self, part: str | None = None) -> tuple[int, int]:
        rows = [(n, m) for n, m in self.negatives if part is None or n.part == part]
        return sum(1 for _, m in rows if m.entry is None), len(rows)

    def passes(self) -> bool:
        hits, total = self.top1()
        refused, negatives = self.rejection()
        return (
            total > 0 and negatives > 0 and hits / total >= TOP1_BAR and refused / negatives >= REJECTION_BAR
        )


def evaluate(matcher: BankMatcher, paraphrases: list[Paraphrase], negatives: list[Negative]) -> Report:
    """Match every question once, timing each match."""
    times: list[float] = []

    def timed(text: str) -> BankMatch:
        start = time.perf_counter()
        result = matcher.match(text)
        times.append(time.perf_counter() - start)
        return result

    outcomes_p = [(paraphrase, timed(paraphrase.text)) for paraphrase in paraphrases]
    outcomes_n = [(negative, timed(negative.text)) for negative in negatives]
    median = statistics.median(times) if times else 0.0
    return Report(outcomes_p, outcomes_n, median * 1000.0, max(times, default=0.0) * 1000.0)


def _rate(pair: tuple[int, int]) -> str:
    hits, total = pair
    return f"{hits}/{total} = {hits / total:.3f}" if total else "0/0"


def _alternatives(match: BankMatch) -> str:
    return ", ".join(f"{entry_id} {score:.2f}" for entry_id, score in match.alternatives)


def render(report: Report, parts: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    for part in parts:
        lines.append(
            f"{part:8} top-1 {_rate(report.top1(part)):18} rejection {_rate(report.rejection(part))}"
        )
    if parts == PARTS:
        lines.append(f"{'all':8} top-1 {_rate(report.top1()):18} rejection {_rate(report.rejection())}")
    lines.append(f"time per match: median {report.median_ms:.2f} ms, slowest {report.slowest_ms:.2f} ms")
    misses = [
        (p, m)
        for p, m in report.paraphrases
        if p.part in parts and (m.entry is None or m.entry.id != p.expected)
    ]
    if misses:
        lines.append("paraphrases not matched to their entry:")
        for paraphrase, match in misses:
            got = "refused" if match.entry is None else match.entry.id
            lines.append(f"  [{paraphrase.part}] {paraphrase.text!r}")
            found = f"got {got} ({match.confidence:.2f}); {_alternatives(match)}"
            lines.append(f"      expected {paraphrase.expected}, {found}")
    accepted = [(n, m) for n, m in report.negatives if n.part in parts and m.entry is not None]
    if accepted:
        lines.append("questions outside the bank that were matched:")
        for negative, match in accepted:
            assert match.entry is not None
            lines.append(f"  [{negative.part}] {negative.text!r}")
            lines.append(f"      matched {match.entry.id} ({match.confidence:.2f}); {_alternatives(match)}")
    return lines


def main(argv: list[str] | None = None, bank: QuestionBank | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m question_bank.evaluate_matching",
        description="Top-1 accuracy on paraphrases and rejection rate on questions the bank does not cover.",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="folder with paraphrases.yaml and not_covered.yaml"
    )
    parser.add_argument("--only", choices=PARTS, default=None, help="score and show one part only")
    args = parser.parse_args([] if argv is None else argv)
    data_dir: Path = args.data if args.data is not None else default_data_dir()
    parts: tuple[str, ...] = PARTS if args.only is None else (args.only,)
    paraphrases = [p for p in load_paraphrases(data_dir) if p.part in parts]
    negatives = [n for n in load_negatives(data_dir) if n.part in parts]
    report = evaluate(BankMatcher(load_bank() if bank is None else bank), paraphrases, negatives)
    for line in render(report, parts):
        print(line)
    ok = report.passes()
    hits, total = report.top1()
    refused, count = report.rejection()
    scope = "the whole set" if args.only is None else args.only
    print(
        f"bar (top-1 >= {TOP1_BAR}, rejection >= {REJECTION_BAR}) on {scope}: "
        f"{'met' if ok else 'NOT met'} ({hits}/{total} paraphrases, {refused}/{count} refusals)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
