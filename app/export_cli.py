"""`examgrader bank export --format moodle-xml|gift|qti [--output PATH] [--topic T]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from question_bank.exports.bundle import ExportFormat, export_bank
from question_bank.loader import load_bank
from question_bank.models import Topic


def add_command(bank_sub: Any) -> None:
    """Add `export` to the subparsers of `examgrader bank`."""
    export = bank_sub.add_parser("export", help="export the bank for an LMS (Moodle XML, GIFT, QTI 2.1)")
    export.add_argument(
        "--format", required=True, choices=[f.value for f in ExportFormat], help="qti writes a zip package"
    )
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.add_argument("--topic", choices=[t.value for t in Topic], help="only the questions on this topic")


def run(args: argparse.Namespace) -> int:
    export_format = ExportFormat(args.format)
    if args.output is None and export_format is ExportFormat.QTI and sys.stdout.isatty():
        print("error: a QTI package is a zip archive; give --output PATH", file=sys.stderr)
        return 2
    exported = export_bank(load_bank(), export_format, Topic(args.topic) if args.topic else None)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(exported.content)
        sys.stdout.buffer.flush()
        return 0
    try:
        args.output.write_bytes(exported.content)
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 2
    plural = "s" if exported.questions != 1 else ""
    print(f"wrote {exported.questions} question{plural} ({export_format.value}) to {args.output}")
    return 0
