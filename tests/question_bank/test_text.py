import pytest

from question_bank.lexicon import american, stem
from question_bank.text import MAX_SEGMENTS, blank_markup, segments, stems_of, tokenize


def test_blank_markup_keeps_the_length_and_drops_code_and_tags() -> None:
    text = "Use **dropout**.\n```python\nx = torch.nn.Dropout(0.5)(x)\n```\n<b>Done</b> see https://x.org/a"
    blanked = blank_markup(text)
    assert len(blanked) == len(text)
    assert "torch" not in blanked and "<b>" not in blanked and "https" not in blanked
    assert "dropout" in blanked and "Done" in blanked


@pytest.mark.parametrize(
    "line",
    ["x = np.random.rand(3) > 0.5", "def dropout(x, p):", "'; DROP TABLE submissions; --", "if (a == b) {"],
)
def test_program_code_lines_are_blanked(line: str) -> None:
    assert blank_markup(line).strip() == ""


def test_formulas_in_prose_are_kept() -> None:
    line = "Acc = (TP+TN)/N = 900/1000 = .90 (share right overall)"
    assert blank_markup(line).strip() != ""


def test_segments_point_into_the_original_text() -> None:
    text = (
        "# Dropout\n**Dropout** zeroes activations; it keeps the weights. E.g. p = 0.5 here!\n- a bullet item"
    )
    found = segments(text)
    for segment in found:
        assert text[segment.start : segment.end] == segment.text
    assert [segment.text for segment in found] == [
        "Dropout",
        "Dropout** zeroes activations",
        "it keeps the weights",
        "E.g. p = 0.5 here",
        "a bullet item",
    ]


def test_wrapped_lines_join_into_one_sentence() -> None:
    found = segments("This sentence is wrapped\nover two lines. Next one.")
    assert [segment.text for segment in found] == ["This sentence is wrapped\nover two lines", "Next one"]


def test_segments_are_capped() -> None:
    text = "Word here. " * (MAX_SEGMENTS + 50)
    assert len(segments(text)) == MAX_SEGMENTS


def test_a_run_without_sentence_ends_is_cut_into_pieces() -> None:
    found = segments("word " * 500)
    assert len(found) > 5
    assert all(len(segment.tokens) <= 48 for segment in found)


def test_contractions_become_not_and_compounds_are_joined() -> None:
    tokens = tokenize("Units can't co-adapt; sub-networks don't")
    assert [token.stem for token in tokens] == ["neuron", "can", "not", "coadapt", "subnetwork", "do", "not"]
    assert [token.negator for token in tokens].count(True) == 2


@pytest.mark.parametrize(
    ("british", "american_spelling"),
    [("regularisation", "regularization"), ("generalise", "generalize"), ("behaviour", "behavior")],
)
def test_british_spellings(british: str, american_spelling: str) -> None:
    assert american(british) == american_spelling
    assert stem(british) == stem(american_spelling)


def test_field_synonyms_fold_and_plain_stems_do_not() -> None:
    assert stems_of("neurons units nodes") == ("neuron", "neuron", "neuron")
    assert stems_of("neurons units nodes", synonyms=False) == ("neuron", "unit", "node")


def test_abbreviations_expand() -> None:
    assert stems_of("SGD") == stems_of("stochastic gradient descent")


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("dropout does not set activations to zero", {"set", "activ", "zero"}),
        ("it does not only drop units", set()),
        ("nothing to do with subnetworks, averaging or ensembles", {"subnetwork", "averag", "ensembl"}),
        ("not the weights, it zeroes activations", {"weight"}),
        ("units cannot co-adapt and learn robust features", {"coadapt"}),
    ],
)
def test_negation_scopes(text: str, denied: set[str]) -> None:
    (segment,) = segments(text)
    got = {token.stem for token, flag in zip(segment.tokens, segment.negated, strict=True) if flag}
    assert got == denied


@pytest.mark.parametrize(
    ("text", "inside"),
    [("precision = tp/(tp+fp), recall", ["tp", "fp"]), ("a' = [2.0, 0, 4.5], done", ["2.0", "0", "4.5"])],
)
def test_formula_brackets_do_not_start_clauses(text: str, inside: list[str]) -> None:
    (segment,) = segments(text)
    clause_of = {token.word: clause for token, clause in zip(segment.tokens, segment.clauses, strict=True)}
    assert len({clause_of[word] for word in inside}) == 1


def test_a_parenthetical_remark_is_its_own_clause() -> None:
    (segment,) = segments("dropout (which zeroes units) works")
    assert segment.clauses[0] != segment.clauses[1]


def test_he_is_the_initialization_only_as_a_name() -> None:
    assert "kaiming" in stems_of("Use Xavier or He for ReLU")
    assert "kaiming" not in stems_of("He said it works")


@pytest.mark.parametrize(
    ("word", "other"), [("boosting", "increase"), ("means", "average"), ("fits", "train")]
)
def test_distinct_technical_terms_are_not_merged(word: str, other: str) -> None:
    assert stem(word) != stem(other)
