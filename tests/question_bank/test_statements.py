"""How the grader reads statements: misconceptions in other words, denials, comparisons, shorthand."""

import pytest

from question_bank.evidence import SegmentView
from question_bank.grade_result import GradeResult, Status
from question_bank.grading import KeyPointGrader, build_grader
from question_bank.lexicon import stem
from question_bank.loader import QuestionBank, load_bank
from question_bank.text import blank_markup, segments


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


@pytest.fixture(scope="module")
def grader(bank: QuestionBank) -> KeyPointGrader:
    return build_grader(bank=bank, fallback=False)


def grade(grader: KeyPointGrader, bank: QuestionBank, question_id: str, response: str) -> GradeResult:
    entry = bank.get(question_id)
    assert entry is not None
    return grader.grade(grader.rubric_for(entry), response)


def found(result: GradeResult) -> set[str]:
    return {item.id for item in result.misconceptions}


def status(result: GradeResult, point_id: str) -> Status:
    return {point.id: point for point in result.key_points}[point_id].status


def test_a_misconception_whose_subject_stands_in_an_earlier_clause_is_found(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    stated = grade(
        grader,
        bank,
        "vanishing-and-exploding-gradients",
        "Gradient clipping keeps every gradient inside a fixed range, which also prevents it from vanishing.",
    )
    assert "clipping-fixes-vanishing" in found(stated)


def test_a_later_clause_with_a_subject_of_its_own_does_not_inherit_the_first(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    result = grade(
        grader,
        bank,
        "vanishing-and-exploding-gradients",
        "Gradient clipping limits exploding gradients, and ReLU prevents vanishing gradients.",
    )
    assert not result.misconceptions
    assert status(result, "gradient-clipping") is Status.COVERED


def test_a_comparison_does_not_state_that_two_things_are_the_same(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    question = "neural-network-optimization-challenges"
    compared = grade(
        grader, bank, question, "In high dimensions saddles are far more common than local minima."
    )
    assert "saddle-is-minimum" not in found(compared)
    equated = grade(grader, bank, question, "A saddle point is a local minimum of the loss.")
    assert "saddle-is-minimum" in found(equated)


def test_a_cue_with_a_linking_word_spans_the_clause_that_word_opens(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    question = "dropout-layer-basics"
    wrong = grade(grader, bank, question, "Dropout is applied both during training and at test time.")
    assert "dropout-at-inference" in found(wrong)
    right = grade(
        grader, bank, question, "Dropout is applied during training, and at test time every unit is kept."
    )
    assert "dropout-at-inference" not in found(right)


def test_a_relative_clause_continues_the_statement(grader: KeyPointGrader, bank: QuestionBank) -> None:
    result = grade(
        grader,
        bank,
        "what-is-a-confusion-matrix",
        "A false positive is a case where the patient truly has the disease but the test says healthy.",
    )
    assert "fp-fn-swapped" in found(result)
    assert status(result, "error-cells") is Status.MISSING


def test_a_negated_key_point_is_not_credited(grader: KeyPointGrader, bank: QuestionBank) -> None:
    question = "dropout-layer-basics"
    stated = grade(grader, bank, question, "Dropout is applied to the hidden layers of the network.")
    denied = grade(grader, bank, question, "Dropout is never applied to the hidden layers of the network.")
    assert status(stated, "applied-to-hidden-layers") is Status.COVERED
    point = {point.id: point for point in denied.key_points}["applied-to-hidden-layers"]
    assert point.status is Status.MISSING and point.contradicted


def test_a_sentence_keeps_the_key_point_no_other_sentence_covers(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    result = grade(
        grader,
        bank,
        "what-is-a-confusion-matrix",
        "It is a table that counts predicted labels against actual labels. "
        "Metrics like precision and recall are calculated from these counts.",
    )
    assert status(result, "predicted-versus-actual-table") is Status.COVERED
    assert status(result, "basis-for-metrics") is Status.COVERED


def test_a_whole_cue_phrase_counts_in_a_sentence_of_own_words(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    result = grade(
        grader,
        bank,
        "overfitting-and-underfitting",
        "Overfitting mostly happens with a complex model that was trained on only a handful of samples.",
    )
    assert status(result, "overfitting-complex-model-small-data") is Status.COVERED


def test_a_synonym_of_a_question_word_is_full_evidence(grader: KeyPointGrader, bank: QuestionBank) -> None:
    result = grade(
        grader, bank, "overfitting-and-underfitting", "An overfitted model memorizes its training set."
    )
    assert status(result, "overfitting-fits-noise") is Status.COVERED


def test_prose_that_names_a_term_again_is_not_a_list_of_terms() -> None:
    (prose,) = segments(
        "The cells on the diagonal are the correct ones: true positives (positive and predicted positive) "
        "and true negatives (negative and predicted negative)."
    )
    (stuffed,) = segments("dropout ensemble dropout averaging dropout ensemble subnetworks dropout")
    assert not SegmentView(prose).keyword_list
    assert SegmentView(stuffed).keyword_list


@pytest.mark.parametrize("line", ["x = np.zeros(3);", "model.fit(x, y);", "int count;"])
def test_statements_ended_by_a_semicolon_are_code(line: str) -> None:
    assert blank_markup(line).strip() == ""


def test_a_prose_line_ended_by_a_semicolon_is_kept() -> None:
    line = "- use ReLU or its variants (leaky ReLU, GELU), whose slope is 1 for positive inputs;"
    assert blank_markup(line) == line


@pytest.mark.parametrize(
    ("word", "same_as"), [("minima", "minimum"), ("maxima", "maximum"), ("0", "zero"), ("err", "error")]
)
def test_forms_and_shorthand_share_a_stem(word: str, same_as: str) -> None:
    (token,) = [
        token for segment in segments(f"the {word} here") for token in segment.tokens if token.content
    ][:1]
    assert token.stem == stem(same_as)


def test_a_note_linked_by_arrows_is_graded_but_a_chain_of_terms_is_not(
    grader: KeyPointGrader, bank: QuestionBank
) -> None:
    question = "vanishing-and-exploding-gradients"
    note = grade(
        grader, bank, question, "VG: grads shrink layer after layer going back -> early layers barely learn"
    )
    assert status(note, "vanishing-definition") is Status.COVERED
    chain = grade(
        grader, bank, question, "vanishing -> sigmoid -> tanh -> chain rule -> clipping -> relu -> xavier"
    )
    assert chain.score == 0.0
    assert chain.needs_review
