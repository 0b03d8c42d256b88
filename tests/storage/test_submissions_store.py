"""Submissions graded and stored, read back, paged, exported and kept apart per key, on both databases."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.regrade import regrade
from app.storage.db import Database
from app.storage.submissions import SubmissionFilter
from app.storage.tables import Submission
from app.submission_csv import COLUMNS
from app.submission_errors import InvalidCursor, UnknownSubmission
from app.submission_schemas import RegradeRequest, SubmissionCreate
from app.submission_service import SubmissionService
from solvers.errors import NotUnderstood, UnknownQuestion
from tests.storage.submission_helpers import SWAPPED, conceptual, exam_grader, new_key, numeric, service


def submit(submissions: SubmissionService, body: dict[str, object], key_id: int | None = None) -> str:
    out, created = submissions.submit(SubmissionCreate.model_validate(body), key_id, None)
    assert created
    return out.id


def rows(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Submission)) or 0


def test_a_graded_submission_is_stored_and_read_back(database: Database) -> None:
    submissions = service(database)
    out, created = submissions.submit(
        SubmissionCreate.model_validate(numeric(attempt=2, context={"course": "DL-101"})), None, None
    )
    assert created
    assert (out.grade.score, out.grade.correct, out.attempt, out.context) == (
        1.0,
        True,
        2,
        {"course": "DL-101"},
    )
    assert out.score.model_dump() == {
        "userId": "ada",
        "scoreGiven": 1.0,
        "scoreMaximum": 1.0,
        "comment": out.grade.feedback,
        "timestamp": out.graded_at,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
    }
    again = submissions.get(None, out.id)
    assert again.model_dump(exclude={"history"}) == out.model_dump()
    assert again.history == []
    assert out.created_at <= out.graded_at and out.created_at.utcoffset() == timedelta(0)


def test_a_grade_flagged_for_review_is_pending_manual_with_a_provisional_score(database: Database) -> None:
    out, _ = service(database).submit(SubmissionCreate.model_validate(conceptual()), None, None)
    assert out.grade.needs_review and out.grade.score is not None
    assert out.question_id == "bagging-vs-boosting"
    assert (out.score.gradingProgress, out.score.scoreGiven) == ("PendingManual", out.grade.score)


def test_an_unreadable_response_is_stored_as_failed_without_a_score(database: Database) -> None:
    submissions = service(database)
    out, created = submissions.submit(
        SubmissionCreate.model_validate(numeric(response="no idea")), None, None
    )
    assert created and out.grade.status == "unreadable" and out.grade.score is None
    assert (out.score.gradingProgress, out.score.activityProgress) == ("Failed", "Submitted")
    assert "scoreGiven" not in out.score.model_dump()
    assert out.score.comment == out.grade.feedback and "submit again" in out.grade.feedback
    assert submissions.get(None, out.id).grade.status == "unreadable"


def test_a_question_the_grader_refuses_stores_nothing(database: Database) -> None:
    submissions = service(database)
    with pytest.raises(UnknownQuestion):
        submissions.submit(
            SubmissionCreate(learner_id="ada", question_id="no-such-question", response="x"), None, None
        )
    with pytest.raises(NotUnderstood):
        submissions.submit(
            SubmissionCreate(learner_id="ada", question="Why?", response="because"), None, None
        )
    assert rows(database) == 0


def test_listing_filters_and_pages_in_creation_order(database: Database) -> None:
    submissions = service(database)
    made = [
        submit(submissions, numeric("ada")),
        submit(submissions, numeric("bob", response=SWAPPED)),
        submit(submissions, conceptual("ada")),
        submit(submissions, numeric("ada", response=SWAPPED)),
        submit(submissions, conceptual("cy")),
    ]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        page = submissions.page(SubmissionFilter(None), 2, cursor)
        assert page.total == 5 and len(page.items) <= 2
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == made

    by_ada = submissions.page(SubmissionFilter(None, learner_id="ada"), 50, None)
    assert [item.id for item in by_ada.items] == [made[0], made[2], made[3]] and by_ada.total == 3
    by_question = submissions.page(SubmissionFilter(None, question_id="bagging-vs-boosting"), 50, None)
    assert [item.id for item in by_question.items] == [made[2], made[4]]
    both = submissions.page(
        SubmissionFilter(None, learner_id="ada", question_id="bagging-vs-boosting"), 50, None
    )
    assert [item.id for item in both.items] == [made[2]]

    everything = submissions.page(SubmissionFilter(None), 50, None).items
    third = everything[2].created_at
    since = submissions.page(SubmissionFilter(None, since=third), 50, None)
    until = submissions.page(SubmissionFilter(None, until=third), 50, None)
    assert [item.id for item in since.items] == made[2:]
    assert [item.id for item in until.items] == made[:2]
    naive = submissions.page(SubmissionFilter(None, since=third.replace(tzinfo=None)), 50, None)
    assert [item.id for item in naive.items] == made[2:]  # no offset: UTC


def test_a_cursor_not_issued_by_the_service_is_refused(database: Database) -> None:
    for forged in ("not-a-cursor", "WzEsMl0", "eyJhIjoxfQ", "W10", "\u00e9t\u00e9"):
        with pytest.raises(InvalidCursor, match="not one this service issued"):
            service(database).page(SubmissionFilter(None), 10, forged)


def test_the_csv_export_has_a_header_row_and_neutralises_formulas(database: Database) -> None:
    submissions = service(database)
    first = submit(submissions, numeric('=HYPERLINK("http://evil")', attempt=1))
    second = submit(submissions, numeric("-2+3", response="no idea"))
    third = submit(submissions, conceptual("@ada"))
    text = "".join(submissions.export_csv(SubmissionFilter(None)))
    table = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == (
        '"id","learner_id","question_id","attempt","score","scoreGiven","scoreMaximum",'
        '"gradingProgress","created_at","graded_at","feedback"'
    )
    assert [row["id"] for row in table] == [first, second, third]
    assert [row["learner_id"] for row in table] == ['\'=HYPERLINK("http://evil")', "'-2+3", "'@ada"]
    assert (table[0]["score"], table[0]["scoreGiven"], table[0]["gradingProgress"]) == (
        "1.0",
        "1.0",
        "FullyGraded",
    )
    assert (table[0]["attempt"], table[1]["attempt"]) == ("1", "")
    assert (table[1]["score"], table[1]["scoreGiven"], table[1]["gradingProgress"]) == ("", "", "Failed")
    assert table[2]["question_id"] == "bagging-vs-boosting" and table[2]["gradingProgress"] == "PendingManual"
    stored = submissions.get(None, third)
    assert table[2]["feedback"] == stored.grade.feedback
    assert table[2]["created_at"] == stored.model_dump(mode="json")["created_at"]
    assert table[2]["created_at"].endswith("Z")
    filtered = list(
        csv.DictReader(
            io.StringIO(
                "".join(submissions.export_csv(SubmissionFilter(None, question_id="bagging-vs-boosting")))
            )
        )
    )
    assert [row["id"] for row in filtered] == [third]


def test_the_export_streams_past_one_batch(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.storage.submissions.EXPORT_BATCH", 2)
    submissions = service(database)
    made = [submit(submissions, numeric(f"learner-{n}")) for n in range(5)]
    table = list(csv.DictReader(io.StringIO("".join(submissions.export_csv(SubmissionFilter(None))))))
    assert [row["id"] for row in table] == made


def test_a_key_sees_only_its_own_submissions(database: Database) -> None:
    first_key, _ = new_key(database, "lms-a")
    second_key, _ = new_key(database, "lms-b")
    submissions = service(database)
    mine = submit(submissions, numeric("ada"), first_key)
    with pytest.raises(UnknownSubmission):
        submissions.get(second_key, mine)
    with pytest.raises(UnknownSubmission):
        submissions.get(None, mine)  # open mode sees only what was stored without a key
    assert submissions.page(SubmissionFilter(second_key), 50, None).total == 0
    assert submissions.page(SubmissionFilter(second_key, learner_id="ada"), 50, None).items == []
    exported = "".join(submissions.export_csv(SubmissionFilter(second_key)))
    assert list(csv.reader(io.StringIO(exported))) == [list(COLUMNS)]
    assert [item.id for item in submissions.page(SubmissionFilter(first_key), 50, None).items] == [mine]


def test_submissions_outlive_the_process(database: Database) -> None:
    made = submit(service(database), numeric("ada"))
    database.dispose()
    reopened = Database(database.url)
    try:
        assert service(reopened).get(None, made).learner_id == "ada"
    finally:
        reopened.dispose()


def test_an_exam_only_answer_is_stored_whole_and_shown_only_to_readers(database: Database) -> None:
    submissions = service(database, exam_grader())
    hidden, _ = submissions.submit(SubmissionCreate.model_validate(conceptual()), None, None)
    shown = submissions.get(None, hidden.id, reveal_exam_only=True)
    key_point = "Bagging trains models independently and in parallel"
    assert key_point in shown.model_dump_json() and shown.grade.solution.answer_markdown
    assert key_point not in hidden.model_dump_json() and hidden.grade.solution.answer_markdown is None
    assert hidden.grade.score == shown.grade.score and hidden.score.scoreGiven == shown.score.scoreGiven
    assert key_point not in submissions.get(None, hidden.id).model_dump_json()
    assert key_point not in "".join(submissions.export_csv(SubmissionFilter(None)))
    assert key_point in "".join(submissions.export_csv(SubmissionFilter(None), reveal_exam_only=True))
    report = regrade(exam_grader(), submissions.repository, RegradeRequest(reason="same bank"), None)
    assert (report.matched, report.unchanged) == (1, 1)  # stored whole, regraded whole: no change
