"""`POST /v1/grade/batch`: up to 1,000 grade requests; one item's error never fails the others."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from app.auth import GradeCaller, can_read_restricted
from app.batch_schemas import BatchGradeOut, BatchGradeRequest, ItemError, ItemFailed, ItemGraded
from app.deps import ServiceDep
from app.errors import error_detail
from app.observability.metrics import observe_batch, observe_grade
from app.schemas import ErrorOut, GradeRequest
from app.service import Examgrader
from solvers.errors import ExamgraderError

router = APIRouter(prefix="/v1", tags=["grade"])

ItemResult = ItemGraded | ItemFailed


def grade_items(
    service: Examgrader, items: Sequence[GradeRequest], reveal_exam_only: bool
) -> list[ItemResult]:
    results: list[ItemResult] = []
    for index, item in enumerate(items):
        try:
            grade = service.grade(item, reveal_exam_only)
        except ExamgraderError as error:
            results.append(ItemFailed(index=index, error=ItemError.model_validate(error_detail(error))))
        else:
            observe_grade(grade)
            results.append(ItemGraded(index=index, result=grade))
    return results


@router.post(
    "/grade/batch",
    response_model=BatchGradeOut,
    responses={
        422: {"model": ErrorOut, "description": "Too many items, or an item is not a valid grade request."},
        413: {"model": ErrorOut, "description": "The body exceeds the batch size limit."},
        401: {"model": ErrorOut, "description": "Keys exist and none (or an invalid one) was sent."},
        403: {"model": ErrorOut, "description": "The key lacks the grade scope."},
    },
)
async def grade_batch(body: BatchGradeRequest, service: ServiceDep, caller: GradeCaller) -> Response:
    """Grade many responses at once: results in the items' order, each a grade or that item's error."""
    # Grading is CPU-bound and synchronous: off the event loop, so other requests keep being served.
    results = await run_in_threadpool(grade_items, service, body.items, can_read_restricted(caller))
    observe_batch(["ok" if isinstance(r, ItemGraded) else r.error.code for r in results])
    failed = sum(isinstance(r, ItemFailed) for r in results)
    out = BatchGradeOut(results=results, succeeded=len(results) - failed, failed=failed)
    return Response(out.model_dump_json(), media_type="application/json")
