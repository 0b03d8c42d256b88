"""The `examgrader` command: answer, grade, serve, bank check and export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from app import export_cli, keys_cli
from app.config import SettingsError, load_settings
from app.schemas import AnswerOut, GradeOut, GradeRequest
from app.service import Examgrader
from question_bank.loader import load_bank
from solvers.errors import ExamgraderError, NotUnderstood


def _format_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if value is None:
        return "undefined"
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def render_answer(answer: AnswerOut) -> str:
    lines = [f"kind: {answer.kind}"]
    lines += [f"  {name}: {_format_value(answer.answer.get(name))}" for name in answer.asked]
    if answer.steps:
        lines.append("steps:")
        lines += [f"  {i}. {step.title}: {step.text}" for i, step in enumerate(answer.steps, 1)]
    if answer.conventions:
        lines.append("conventions:")
        lines += [f"  - {c}" for c in answer.conventions]
    lines += [f"note: {n}" for n in answer.notes]
    return "\n".join(lines)


def render_grade(grade: GradeOut) -> str:
    score = "withheld" if grade.score is None else f"{grade.score:.2f}"
    lines = [f"score: {score} ({grade.status})"]
    for part in grade.parts:
        mark = {"correct": "✓", "partial": "~", "missing": "-", "unreadable": "?"}.get(part.status, "✗")
        lines.append(f"  {mark} {part.feedback}")
    lines.append(grade.feedback)
    if grade.needs_review:
        lines.append("(flagged for review)")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="examgrader", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    answer = sub.add_parser("answer", help="answer a question with worked steps")
    answer.add_argument("question", help="the question text ('-' reads standard input)")
    answer.add_argument("--json", action="store_true", help="print the API's JSON")
    grade = sub.add_parser("grade", help="grade a response to a question")
    grade.add_argument("--question", required=True, help="the question text ('-' reads standard input)")
    grade.add_argument("--response", required=True, help="the response: prose or a JSON object of parts")
    grade.add_argument("--json", action="store_true", help="print the API's JSON")
    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    bank = sub.add_parser("bank", help="question bank tools")
    bank_sub = bank.add_subparsers(dest="bank_command", required=True)
    bank_sub.add_parser("check", help="validate every question file")
    export_cli.add_command(bank_sub)
    keys_cli.add_commands(sub)
    return parser


def _text(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


def _response(value: str) -> str | dict[str, Any]:
    stripped = value.strip()
    if stripped.startswith("{"):
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError:
            return value
        if isinstance(parsed, dict):
            return parsed
    return value


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from app.serve import serve

        serve(args.host, args.port, args.workers)
        return 0
    if args.command in ("keys", "db"):
        return keys_cli.run(args)
    if args.command == "bank" and args.bank_command == "export":
        return export_cli.run(args)
    if args.command == "bank":
        from question_bank.check import main as bank_check

        return bank_check()
    service = Examgrader(load_bank())
    if args.command == "answer":
        answer = service.answer(_text(args.question), reveal_exam_only=True)
        print(answer.model_dump_json(indent=2) if args.json else render_answer(answer))
        return 0
    request = GradeRequest(question=_text(args.question), response=_response(args.response))
    grade = service.grade(request, reveal_exam_only=True)
    print(grade.model_dump_json(indent=2) if args.json else render_grade(grade))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        load_settings()
        return _run(args)
    except NotUnderstood as error:
        print(f"not understood: {error.message}", file=sys.stderr)
        for suggestion in error.suggestions[:3]:
            print(f"  try: {suggestion}", file=sys.stderr)
        return 2
    except (ExamgraderError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValidationError as error:
        print(f"error: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
