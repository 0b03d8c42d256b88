"""What the routes call: answer a question, grade a response, find bank questions. No HTTP here."""

from __future__ import annotations

from functools import lru_cache

from app.exam_only import redact_grade
from app.exam_only import refusal as exam_only_refusal
from app.outputs import answer_out, bank_answer_out, conceptual_grade_out, grade_out
from app.schemas import AnswerOut, GradeOut, GradeRequest
from question_bank.grade_result import Backend
from question_bank.grading import build_grader
from question_bank.loader import QuestionBank
from question_bank.match import BankMatch, BankMatcher
from question_bank.models import QuestionEntry, Topic
from question_bank.rubric import rubric_from_reference
from solvers.errors import NoSolver, NotUnderstood, ResponseFormatError, UnknownQuestion
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.numbers import find_numbers
from solvers.practice import is_practice_id, regenerate
from solvers.route import Solved, solve_as, solve_question

SUGGESTIONS = 3


class Examgrader:
    """Solvers first, then the question bank; solved questions cached by text (platforms grade one
    question for a whole class)."""

    def __init__(self, bank: QuestionBank, cache_size: int = 1024, backend: Backend | None = None) -> None:
        self.bank = bank
        self.matcher = BankMatcher(bank)
        self.grader = build_grader(backend, bank=bank, fallback=False)
        self._solve = lru_cache(maxsize=cache_size)(solve_question)

    def solve(self, question: str) -> Solved:
        return self._solve(question)

    def _bank_match(self, question: str, refusal: NotUnderstood) -> BankMatch:
        match = self.matcher.match(question)
        if match.entry is None:
            titles = [self._title(question_id) for question_id, _ in match.alternatives[:SUGGESTIONS]]
            raise NotUnderstood(
                "this is neither a numeric question a solver can read nor one the question bank covers",
                suggestions=[*titles, *refusal.suggestions],
            )
        return match

    def _title(self, question_id: str) -> str:
        entry = self.bank.get(question_id)
        return entry.prompt if entry is not None else question_id

    def exam_only(self, question_id: str | None) -> bool:
        entry = self.bank.get(question_id) if question_id is not None else None
        return entry is not None and entry.exam_only

    def answer(self, question: str, reveal_exam_only: bool = False) -> AnswerOut:
        """The answer; an exam-only bank entry's only when `reveal_exam_only` (else Forbidden)."""
        answered = self._answer(question)
        if not reveal_exam_only and answered.question_id is not None and self.exam_only(answered.question_id):
            raise exam_only_refusal(answered.question_id)
        return answered

    def _answer(self, question: str) -> AnswerOut:
        try:
            return answer_out(self.solve(question))
        except NoSolver as refusal:
            match = self._bank_match(question, refusal)
        entry = match.entry
        assert entry is not None
        if entry.solver is None:
            return bank_answer_out(match)
        return answer_out(self._solve_numeric_entry(question, entry), match)

    def _solve_numeric_entry(self, question: str, entry: QuestionEntry) -> Solved:
        """A question matching a numeric entry: its own data if it has any, else the entry's."""
        assert entry.solver is not None
        try:
            return solve_as(entry.solver.kind, question)
        except NotUnderstood:
            if find_numbers(normalize(question)):
                raise  # its own numbers, unreadable: never answer with the entry's numbers
        return self.solve(entry.prompt)

    def _entry(self, question_id: str) -> QuestionEntry:
        entry = self.bank.get(question_id)
        if entry is None:
            raise UnknownQuestion(f"no question with id {question_id!r}")
        return entry

    def grade(self, request: GradeRequest, reveal_exam_only: bool = False) -> GradeOut:
        """Numeric questions part by part; conceptual ones key point by key point. An exam-only
        entry's answer is left out of the grade unless `reveal_exam_only`."""
        graded = self._grade(request)
        if not reveal_exam_only and self.exam_only(graded.question_id):
            return redact_grade(graded)
        return graded

    def _grade(self, request: GradeRequest) -> GradeOut:
        if request.question_id is not None and is_practice_id(request.question_id):
            drawn = regenerate(request.question_id)
            return self._grade_numeric(
                Solved(drawn.kind, drawn.solution, drawn.variants), request, drawn.question_id
            )
        if request.question_id is not None:
            entry = self._entry(request.question_id)
            if entry.solver is None:
                return self._grade_conceptual(entry, request)
            return self._grade_numeric(self.solve(entry.prompt), request, entry.id)
        assert request.question is not None
        try:
            solved = self.solve(request.question)
        except NoSolver as refusal:
            return self._grade_by_text(request.question, request, refusal)
        return self._grade_numeric(solved, request)

    def _grade_by_text(self, question: str, request: GradeRequest, refusal: NoSolver) -> GradeOut:
        match = self.matcher.match(question)
        entry = match.entry
        if entry is None and request.reference_answer:
            rubric = rubric_from_reference(question, request.reference_answer)
            result = self.grader.grade(rubric, _free_text(request))
            return conceptual_grade_out(result, None, request.reference_answer)
        if entry is None:
            self._bank_match(question, refusal)  # raises NotUnderstood with suggestions
        assert entry is not None
        if entry.solver is None:
            return self._grade_conceptual(entry, request)
        return self._grade_numeric(self._solve_numeric_entry(question, entry), request, entry.id)

    def _grade_numeric(
        self, solved: Solved, request: GradeRequest, question_id: str | None = None
    ) -> GradeOut:
        grade = grade_response(solved.solution, list(solved.variants), request.response)
        return grade_out(grade, solved.solution, question_id)

    def _grade_conceptual(self, entry: QuestionEntry, request: GradeRequest) -> GradeOut:
        result = self.grader.grade(self.grader.rubric_for(entry), _free_text(request))
        return conceptual_grade_out(result, entry.id, entry.answer_markdown)

    def find_questions(
        self, q: str | None, topic: Topic | None, kind: str | None, tag: str | None
    ) -> list[tuple[QuestionEntry, float | None]]:
        """Entries passing the filters: ranked by relevance to `q`, else in id order."""
        ranked: list[tuple[QuestionEntry, float | None]]
        if q and q.strip():
            ranked = list(self.matcher.search(q, limit=len(self.bank)))
        else:
            ranked = [(entry, None) for entry in self.bank]
        return [
            (entry, score)
            for entry, score in ranked
            if (topic is None or entry.topic is topic)
            and (kind is None or entry.kind == kind)
            and (tag is None or tag.lower() in (t.lower() for t in entry.tags))
        ]


def _free_text(request: GradeRequest) -> str:
    """A conceptual question is graded from prose; an object of parts cannot be."""
    if not isinstance(request.response, str):
        raise ResponseFormatError(
            "this is a conceptual question: send the answer as text, not an object of parts"
        )
    return request.response
