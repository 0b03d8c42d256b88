"""Validate the question bank: ``python -m question_bank.check [QUESTIONS_DIR]``.

Prints ``ok: N questions in M topics`` and exits 0, or prints every problem on its own line and
exits 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from question_bank.loader import BankError, load_bank


def main(argv: list[str] | None = None) -> int:
    """Run the check. ``argv`` holds the arguments after the program name; ``None`` means none."""
    parser = argparse.ArgumentParser(
        prog="python -m question_bank.check",
        description="Validate every question file of the bank.",
    )
    parser.add_argument(
        "root",
        nargs="?",
        type=Path,
        default=None,
        help="questions folder to check (default: the bank shipped with the package)",
    )
    args = parser.parse_args([] if argv is None else argv)
    try:
        bank = load_bank(args.root)
    except BankError as exc:
        for problem in exc.problems:
            print(problem)
        return 1
    print(f"ok: {len(bank.entries)} questions in {len(bank.by_topic())} topics")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
