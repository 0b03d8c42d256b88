"""What the routes call: answer a question, grade a response, find bank questions. No HTTP here."""

from __future__ import annotations

from functools import lru_cache

from app.outputs import answer_out, bank_answer_out, grade_out
from app.schemas import AnswerOut, GradeOut, GradeRequest
from question_bank.loader import QuestionBank
from question_bank.match import BankMatch, BankMatcher
from question_bank.models import QuestionEntry, Topic
from solvers.errors import NoSolver, NotGradable, NotUnderstood, UnknownQuestion
from solvers.grading import grade_response
from solvers.normalize import normalize
from solvers.numbers import find_numbers
from solvers.practice import is_practice_id, regenerate
from solvers.route import Solved, solve_as, solve_question

SUGGESTIONS = 3


class Examgrader:
    """Solvers first, then the question bank; solved questions cached by text (platforms grade one
    question for a whole class)."""

    def __init__(self, bank: QuestionBank, cache_size: int = 1024) -> None:
        self.bank = bank
        self.matcher = BankMatcher(bank)
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

    def answer(self, question: str) -> AnswerOut:
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

    def _entry(self, request: GradeRequest) -> QuestionEntry:
        assert request.question_id is not None
        entry = self.bank.get(request.question_id)
        if entry is None:
            raise UnknownQuestion(f"no question with id {request.question_id!r}")
        return entry

    def grade(self, request: GradeRequest) -> GradeOut:
        if request.question_id is not None and is_practice_id(request.question_id):
            drawn = regenerate(request.question_id)
            solved = Solved(drawn.kind, drawn.solution, drawn.variants)
        elif request.question_id is not None:
            entry = self._entry(request)
            if entry.solver is None:
                raise NotGradable(
                    f"{entry.id} is a conceptual question; free-text grading is not available yet"
                )
            solved = self.solve(entry.prompt)
        else:
            assert request.question is not None
            solved = self._solve_for_grading(request.question)
        grade = grade_response(solved.solution, list(solved.variants), request.response)
        return grade_out(grade, solved.solution)

    def _solve_for_grading(self, question: str) -> Solved:
        try:
            return self.solve(question)
        except NoSolver as refusal:
            entry = self._bank_match(question, refusal).entry
        assert entry is not None
        if entry.solver is None:
            raise NotGradable(
                f"this matches the conceptual question {entry.id!r}; free-text grading is not available yet"
            )
        return self._solve_numeric_entry(question, entry)

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
