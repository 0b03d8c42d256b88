"""Typed errors raised inside the solvers; the HTTP edge translates each base class once."""

from __future__ import annotations


class ExamgraderError(Exception):
    """Base of every error the project raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def headers(self) -> dict[str, str]:
        """HTTP headers the response carries (e.g. Retry-After); none by default."""
        return {}


class NotUnderstood(ExamgraderError):
    """The question could not be read by any solver (or by the solver it was routed to)."""

    code = "not_understood"

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class NoSolver(NotUnderstood):
    """No solver recognised the question at all (as opposed to one that recognised it but lacked data)."""


class UnknownQuestion(ExamgraderError):
    """A question id that is not in the bank."""

    code = "unknown_question"


class NotGradable(ExamgraderError):
    """The question is known but this kind of response cannot be graded for it."""

    code = "not_gradable"


class InvalidQuestion(ExamgraderError):
    """The question was read but its data cannot be solved (negative counts, bad probability...)."""

    code = "invalid_question"


class InputTooLarge(ExamgraderError):
    """A question or response exceeds a size limit (digits, entries, nesting, length)."""

    code = "input_too_large"


class ResponseFormatError(ExamgraderError):
    """A student's response could not be read; the score is withheld, not zero."""

    code = "unreadable_response"

    def __init__(self, message: str, text: str = "", offset: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.offset = offset

    def pointer(self) -> str:
        """The offending line with a caret under the bad spot, for the student."""
        if self.offset is None or not self.text:
            return ""
        line_start = self.text.rfind("\n", 0, self.offset) + 1
        line_end = self.text.find("\n", self.offset)
        line = self.text[line_start : line_end if line_end >= 0 else None]
        return f"{line}\n{' ' * (self.offset - line_start)}^"
