import pytest

from question_bank.loader import QuestionBank, load_bank
from question_bank.rubric import CueKind, RubricSource, compile_cue, rubric_from_entry, rubric_from_reference


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


def test_every_bank_entry_gives_a_rubric(bank: QuestionBank) -> None:
    for entry in bank:
        rubric = rubric_from_entry(entry)
        assert rubric.key == f"bank:{entry.id}"
        assert rubric.source is RubricSource.BANK
        assert [point.id for point in rubric.points] == [point.id for point in entry.key_points]
        assert [item.id for item in rubric.misconceptions] == [item.id for item in entry.misconceptions]
        assert rubric.total_weight == sum(point.weight for point in entry.key_points)
        assert all(point.cues for point in rubric.points)
        assert all(point.term_weight > 0 for point in rubric.points)


def test_terms_the_question_uses_weigh_less(bank: QuestionBank) -> None:
    entry = bank.get("dropout-as-ensemble")
    assert entry is not None
    rubric = rubric_from_entry(entry)
    point = next(p for p in rubric.points if p.id == "breaks-co-adaptation")
    assert "dropout" in rubric.question_stems
    assert point.terms["partner"] > 0.5


@pytest.mark.parametrize(
    ("cue", "kind", "stems"),
    [
        ("averaging", CueKind.WORD, ("averag",)),
        ("co-adaptation", CueKind.WORD, ("coadapt",)),
        ("useful on their own", CueKind.TERMS, ("use", "own")),
        ("only during training", CueKind.TERMS, ("onli", "train")),
        ("at a time", CueKind.PHRASE, ("at", "a", "time")),
        ("one after another", CueKind.PHRASE, ("one", "after", "another")),
        ("set activations to zero", CueKind.TERMS, ("set", "activ", "zero")),
        ("no separate models", CueKind.TERMS, ("not", "independ", "model")),
    ],
)
def test_cue_kinds(cue: str, kind: CueKind, stems: tuple[str, ...]) -> None:
    compiled = compile_cue(cue)
    assert compiled is not None
    assert (compiled.kind, compiled.stems) == (kind, stems)


def test_a_cue_without_words_is_dropped() -> None:
    assert compile_cue("of") is None
    assert compile_cue("--") is None


def test_cue_polarity_follows_the_key_point() -> None:
    context = "Units cannot rely on specific partners (co-adaptation) and must learn useful features."
    opposed = compile_cue("co-adaptation", context)
    stated = compile_cue("useful features", context)
    assert opposed is not None and not opposed.polar
    assert stated is not None and stated.polar
    prevents = compile_cue("prevents co-adaptation", context)
    assert prevents is not None and prevents.polar


def test_reference_answer_clauses_become_weighted_key_points() -> None:
    rubric = rubric_from_reference(
        "How do plants make food?",
        "Plants use sunlight to turn carbon dioxide and water into glucose. "
        "Oxygen is released as a by-product.",
    )
    assert rubric.source is RubricSource.REFERENCE
    assert not rubric.misconceptions
    assert [point.text for point in rubric.points] == [
        "Plants use sunlight to turn carbon dioxide and water into glucose",
        "Oxygen is released as a by-product",
    ]
    assert rubric.points[0].weight > rubric.points[1].weight
    cues = {cue.text for cue in rubric.points[0].cues}
    assert "carbon dioxide" in cues


def test_reference_rubrics_are_keyed_by_their_text() -> None:
    first = rubric_from_reference("Q?", "The water evaporated, leaving the salt.")
    again = rubric_from_reference("Q?", "The water evaporated, leaving the salt.")
    other = rubric_from_reference("Q?", "The salt dissolved in the water.")
    assert first.key == again.key != other.key


def test_an_empty_reference_gives_no_key_points() -> None:
    assert rubric_from_reference("Why?", "   ").points == ()
