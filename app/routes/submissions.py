"""`/v1/submissions`: grade and keep a learner's response, read it back, list, export, regrade.

The handlers are plain functions: FastAPI runs them in its thread pool, so grading and the
database never block the event loop.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from app.auth import AdminCaller, GradeCaller, ReadCaller, can_read_restricted
from app.regrade import regrade
from app.schemas import ErrorOut
from app.storage.submissions import SubmissionFilter, SubmissionRepository
from app.submission_schemas import (
    RegradeOut,
    RegradeRequest,
    SubmissionCreate,
    SubmissionDetailOut,
    SubmissionOut,
    SubmissionPage,
    UtcDatetime,
)
from app.submission_service import SubmissionService

router = APIRouter(prefix="/v1/submissions", tags=["submissions"])


def get_submissions(request: Request) -> SubmissionService:
    return SubmissionService(request.app.state.service, SubmissionRepository(request.app.state.db))


SubmissionsDep = Annotated[SubmissionService, Depends(get_submissions)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="1 to 255 visible ASCII characters; a retry with the same key and body returns the stored result.",
    ),
]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused here, not failed on in the database
LearnerFilter = Annotated[str | None, Query(min_length=1, max_length=255, pattern=NO_NUL)]
QuestionFilter = Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL)]
Since = Annotated[UtcDatetime | None, Query(description="Created at or after this time (UTC if no offset).")]
Until = Annotated[UtcDatetime | None, Query(description="Created before this time (UTC if no offset).")]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "API keys exist and none (or a revoked one) was sent."},
    403: {"model": ErrorOut, "description": "The key lacks the scope."},
    422: {"model": ErrorOut, "description": "The request is invalid."},
}


def _json(body: SubmissionOut | SubmissionDetailOut, status_code: int, headers: dict[str, str]) -> Response:
    return Response(
        body.model_dump_json(), status_code=status_code, media_type="application/json", headers=headers
    )


@router.post(
    "",
    status_code=201,
    response_model=SubmissionOut,
    responses={
        **ERRORS,
        200: {
            "model": SubmissionOut,
            "description": "A replay: the stored result (`Idempotent-Replayed: true`).",
        },
        404: {"model": ErrorOut, "description": "Unknown question id (nothing is stored)."},
        409: {"model": ErrorOut, "description": "The Idempotency-Key was used with another body."},
    },
)
def create_submission(
    body: SubmissionCreate,
    caller: GradeCaller,
    submissions: SubmissionsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Grade a learner's response and store it; the score comes LTI AGS-shaped as well."""
    out, created = submissions.submit(body, caller.key_id, idempotency_key, can_read_restricted(caller))
    headers = {"Location": f"/v1/submissions/{out.id}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return _json(out, 201 if created else 200, headers)


@router.get("", response_model=SubmissionPage, responses=ERRORS)
def list_submissions(
    caller: ReadCaller,
    submissions: SubmissionsDep,
    learner_id: LearnerFilter = None,
    question_id: QuestionFilter = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, description="`next_cursor` of a page.")] = None,
) -> SubmissionPage:
    """This key's submissions, oldest first, a page at a time."""
    where = SubmissionFilter(caller.key_id, learner_id, question_id, since, until)
    return submissions.page(where, limit, cursor, can_read_restricted(caller))


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "A header row, then a row each."}},
)
def export_submissions(
    caller: ReadCaller,
    submissions: SubmissionsDep,
    export_format: Annotated[Literal["csv"], Query(alias="format")] = "csv",
    learner_id: LearnerFilter = None,
    question_id: QuestionFilter = None,
    since: Since = None,
    until: Until = None,
) -> StreamingResponse:
    """This key's submissions as CSV (streamed; formula-like cells are neutralised)."""
    where = SubmissionFilter(caller.key_id, learner_id, question_id, since, until)
    return StreamingResponse(
        submissions.export_csv(where, can_read_restricted(caller)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="submissions.{export_format}"'},
    )


@router.post("/regrade", response_model=RegradeOut, responses=ERRORS)
def regrade_submissions(body: RegradeRequest, caller: AdminCaller, submissions: SubmissionsDep) -> RegradeOut:
    """Regrade this key's matching submissions with the current grader (dry run by default)."""
    return regrade(submissions.grader, submissions.repository, body, caller.key_id)


@router.get(
    "/{submission_id}",
    response_model=SubmissionDetailOut,
    responses={**ERRORS, 404: {"model": ErrorOut, "description": "No such submission for this key."}},
)
def get_submission(submission_id: str, caller: ReadCaller, submissions: SubmissionsDep) -> Response:
    """One submission with its grade, AGS score and regrade history."""
    return _json(submissions.get(caller.key_id, submission_id, can_read_restricted(caller)), 200, {})
