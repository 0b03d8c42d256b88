"""Reading a binary confusion-matrix question: the counts, how they were read, and the metrics asked.

The counts come from one source: lists of true and predicted labels, a 2×2 table (markdown,
LaTeX, nested list or plain rows), or counts named or told in the text. Counts the text names
beside a table or lists must agree with it. `read_confusion` refuses (`NotUnderstood`) whenever
the data are missing, contradict each other or could be read two ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from solvers.confusion_asked import METRIC_NEEDS, read_asked
from solvers.confusion_facts import CELLS, Counts, Fact, Reading, agrees, named_facts, solve_facts
from solvers.confusion_grids import Grid, distinct, find_grids
from solvers.confusion_layout import ORIENTATION_WORDS, grid_readings
from solvers.confusion_lists import label_lists, list_reading
from solvers.confusion_story import read_story
from solvers.errors import InvalidQuestion, NotUnderstood


@dataclass(frozen=True)
class Parsed:
    reading: Reading
    asked: tuple[str, ...]
    beta: Fraction | None
    notes: tuple[str, ...] = ()


def _grid_reading(grid: Grid, text: str, facts: Sequence[Fact]) -> Reading:
    """The table's reading; counts stated beside it pick the orientation when nothing else does."""
    readings = grid_readings(grid, text)
    if not facts:
        return readings[0]
    agreeing = [r for r in readings if agrees(r.counts, facts)]
    if not readings[0].orientation_assumed:
        agreeing = agreeing[:1] if agreeing and agreeing[0] is readings[0] else []
    if not agreeing:
        listed = "; ".join(f.source for f in facts)
        raise NotUnderstood(f"the table and the counts stated in the text ({listed}) disagree")
    chosen = agreeing[0]
    if chosen.orientation_assumed and len(agreeing) == 1:
        note = (
            f"{ORIENTATION_WORDS[chosen.orientation]}: "
            "the reading that agrees with the counts the question states."
        )
        return replace(chosen, conventions=(note, *chosen.conventions[1:]), orientation_assumed=False)
    return chosen


def _as_stated(counts: Counts) -> Reading:
    return Reading(
        counts,
        "counts",
        "positive",
        ("The counts TP, FP, FN and TN are read as stated.",),
        "Reading the counts stated in the question",
    )


def _counts_reading(text: str, facts: Sequence[Fact], needed: frozenset[str]) -> Reading:
    """Counts named in the text, completed from a story when the metrics asked need more."""
    counts = solve_facts(facts) if facts else dict.fromkeys(CELLS)
    if all(counts[c] is not None for c in needed):
        return _as_stated(counts)
    try:
        story = read_story(text, [f.span for f in facts])
    except NotUnderstood as reason:
        if facts:
            return _as_stated(counts)
        raise NotUnderstood(
            "could not read confusion-matrix counts from the question: "
            f"{reason.message}. Give TP, FP, FN and TN, a 2×2 table labelled Predicted/Actual, "
            "or lists of true and predicted labels",
            suggestions=["TP = 80, FP = 80, FN = 20, TN = 820. Compute precision and recall."],
        ) from None
    counts = solve_facts([*facts, *story.facts])
    if not story.facts:
        return _as_stated(counts)
    return Reading(
        counts,
        "counts",
        story.positive_class,
        (f"The counts are read from the wording, with “{story.positive_class}” as the positive class.",),
        "Reading the counts from the wording: " + "; ".join(f.source for f in story.facts),
        told_in_words=True,
    )


def _reading(text: str, facts: Sequence[Fact], needed: frozenset[str]) -> Reading:
    """The counts from the one source the question gives them in."""
    lists = label_lists(text)
    if lists is not None:
        reading = list_reading(*lists, text)
        if facts and not agrees(reading.counts, facts):
            raise NotUnderstood("the label lists and the counts stated in the text disagree")
        return reading
    grids = distinct(find_grids(text))
    if any(g.size > 2 for g in grids):
        size = max(g.size for g in grids)
        raise NotUnderstood(
            f"this is a {size}×{size} (multi-class) confusion matrix; this solver reads binary (2×2) ones"
        )
    if len(grids) > 1:
        raise NotUnderstood(
            f"the question has {len(grids)} different confusion matrices; ask about one at a time"
        )
    if grids and grids[0].normalised_per_class:
        raise NotUnderstood(
            "the matrix is normalised per class (each row or column sums to 1); precision and accuracy "
            "need the counts, or the number of examples in each class"
        )
    if grids:
        return _grid_reading(grids[0], text, facts)
    return _counts_reading(text, facts, needed)


def read_confusion(text: str) -> Parsed:
    """Counts, orientation, positive class and the metrics asked; refuses what it cannot read for sure."""
    asked, beta, explicit = read_asked(text)
    needed = frozenset().union(*(METRIC_NEEDS[m] for m in asked))
    reading = _reading(text, named_facts(text), needed)
    counts = reading.counts
    if any(v is not None and v < 0 for v in counts.values()):
        raise InvalidQuestion("confusion-matrix counts cannot be negative")
    known = frozenset(c for c in CELLS if counts[c] is not None)
    notes: tuple[str, ...] = ()
    if not needed <= known:
        missing = ", ".join(c.upper() for c in CELLS if c in needed - known)
        if explicit:
            lacking = [m.replace("_", " ") for m in asked if not METRIC_NEEDS[m] <= known]
            names = " and ".join(filter(None, (", ".join(lacking[:-1]), lacking[-1])))
            verb = "needs" if len(lacking) == 1 else "need"
            raise NotUnderstood(f"the question does not give {missing}, which {names} {verb}")
        if not {"tp", "fp", "fn"} <= known:
            raise NotUnderstood(
                f"the question does not give {missing}: the confusion matrix needs TP, FP, FN and TN"
            )
        asked = tuple(m for m in asked if METRIC_NEEDS[m] <= known)
        notes = (f"{missing} is not given, so only {', '.join(asked)} can be computed.",)
    if all(counts[c] == 0 for c in known):
        raise InvalidQuestion("every count is zero: there is nothing to evaluate")
    return Parsed(reading, asked, beta, notes)
