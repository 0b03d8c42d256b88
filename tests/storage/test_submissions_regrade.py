"""Regrading stored submissions after the bank changed: a dry run writes nothing, a real run replaces
the grade and keeps the old one in the audit trail; only the caller's submissions are touched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from app.regrade import regrade
from app.storage.db import Database
from app.storage.submissions import Regraded
from app.storage.tables import GradeAudit, Submission
from app.submission_schemas import RegradeRequest, SubmissionCreate
from app.submission_service import SubmissionService
from tests.storage.submission_helpers import (
    conceptual,
    current_grader,
    edited_grader,
    new_key,
    numeric,
    service,
)


def submit(submissions: SubmissionService, body: dict[str, Any], key_id: int | None = None) -> str:
    return submissions.submit(SubmissionCreate.model_validate(body), key_id, None)[0].id


def audits(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(GradeAudit)) or 0


def run(database: Database, key_id: int | None = None, **request: Any) -> Any:
    after = service(database, edited_grader())
    body = RegradeRequest.model_validate({"reason": "key point weights revised", **request})
    return regrade(after.grader, after.repository, body, key_id)


def test_a_dry_run_reports_the_change_and_writes_nothing(database: Database) -> None:
    before = service(database)
    changed = submit(before, conceptual("ada"))
    submit(before, numeric("bob"))
    original = before.get(None, changed)

    report = run(database)
    assert (report.matched, report.changed, report.unchanged, report.failed, report.dry_run) == (
        2,
        1,
        1,
        0,
        True,
    )
    new_score = edited_grader().grade(SubmissionCreate.model_validate(conceptual()).grade_request()).score
    assert new_score is not None and original.grade.score is not None and new_score < original.grade.score
    assert [(item.id, item.old_score, item.new_score) for item in report.items] == [
        (changed, original.grade.score, new_score)
    ]
    assert before.get(None, changed) == original
    assert audits(database) == 0


def test_a_regrade_replaces_the_grade_and_keeps_the_old_one(database: Database) -> None:
    admin, _ = new_key(database, "lms-admin", "admin")
    before = service(database)
    made = submit(before, conceptual("ada"), admin)
    original = before.get(admin, made)

    report = run(database, admin, dry_run=False)
    assert (report.changed, report.unchanged, report.dry_run) == (1, 0, False)
    now = service(database, edited_grader()).get(admin, made)
    assert now.grade.score == report.items[0].new_score != original.grade.score
    assert now.score.scoreGiven == now.grade.score and now.graded_at > original.graded_at
    assert now.created_at == original.created_at
    [change] = now.history
    assert (change.old_score, change.new_score, change.reason, change.regraded_by) == (
        original.grade.score,
        now.grade.score,
        "key point weights revised",
        admin,
    )
    assert change.old_grade == original.grade.model_dump(mode="json")

    again = run(database, admin, dry_run=False)
    assert (again.changed, again.unchanged) == (0, 1)
    assert audits(database) == 1


def test_a_regrade_touches_only_the_callers_submissions(database: Database) -> None:
    mine, _ = new_key(database, "lms-a", "admin")
    theirs, _ = new_key(database, "lms-b", "admin")
    before = service(database)
    own = submit(before, conceptual("ada"), mine)
    other = submit(before, conceptual("ada"), theirs)
    untouched = before.get(theirs, other)

    report = run(database, mine, dry_run=False)
    assert report.matched == 1 and [item.id for item in report.items] == [own]
    assert before.get(theirs, other) == untouched
    assert run(database, None, dry_run=False).matched == 0  # open mode owns nothing here


def test_filters_limit_and_cursor_walk_through_the_matches(database: Database) -> None:
    before = service(database)
    made = [submit(before, conceptual(learner)) for learner in ("ada", "bob", "ada", "ada")]
    submit(before, numeric("ada"))

    first = run(database, learner_id="ada", question_id="bagging-vs-boosting", limit=2, dry_run=False)
    assert first.matched == 2 and first.next_cursor is not None
    second = run(
        database,
        learner_id="ada",
        question_id="bagging-vs-boosting",
        limit=2,
        cursor=first.next_cursor,
        dry_run=False,
    )
    assert second.matched == 1 and second.next_cursor is None
    assert [item.id for item in first.items + second.items] == [made[0], made[2], made[3]]
    assert before.get(None, made[1]).history == []

    created = [before.get(None, ident).created_at for ident in made]
    window = run(database, since=created[1], until=created[3])
    # bob's (not regraded yet) and ada's second (regraded above)
    assert (window.matched, window.changed, window.unchanged) == (2, 1, 1)
    assert [item.id for item in window.items] == [made[1]]


def test_a_submission_the_grader_now_refuses_keeps_its_grade(database: Database) -> None:
    before = service(database)
    made = submit(before, conceptual("ada"))
    original = before.get(None, made)
    with database.session() as session:  # as if the entry had been removed from the bank since
        session.execute(update(Submission).values(question_id="removed-entry"))
    report = run(database, dry_run=False)
    assert (report.failed, report.changed) == (1, 0)
    assert report.items[0].model_dump() == {
        "id": made,
        "status": "failed",
        "old_score": original.grade.score,
        "new_score": None,
        "error": "unknown_question",
    }
    assert before.get(None, made).grade == original.grade


def test_a_grade_regraded_meanwhile_is_not_overwritten(database: Database) -> None:
    before = service(database)
    made = submit(before, conceptual("ada"))
    with database.session() as session:
        row = session.get(Submission, made)
        assert row is not None
        session.expunge(row)
    new = edited_grader().grade(SubmissionCreate.model_validate(conceptual()).grade_request())
    stale = Regraded(row, new.score, new.model_dump(mode="json"), datetime.now(UTC))
    assert before.repository.apply_regrade(stale, "first", None)
    assert not before.repository.apply_regrade(stale, "second", None)
    assert [change.reason for change in before.get(None, made).history] == ["first"]
    assert current_grader() is not edited_grader()
