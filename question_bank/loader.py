"""Load and validate the question bank: ``questions/<topic>/<id>.md`` files with YAML front matter.

Every file is checked, and every problem found in any of them is collected before
:class:`BankError` is raised, so one run of the check shows all that needs fixing.
Each problem reads ``<path relative to the questions folder>: <field>: <message>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from question_bank.models import QuestionEntry, Topic

FENCE = "---"
# Keys the loader fills in itself; front matter must not set them.
_LOADER_KEYS = ("answer_markdown", "path")


def default_root() -> Path:
    """The ``questions`` folder shipped beside this module."""
    return Path(__file__).parent / "questions"


class BankError(Exception):
    """The bank is invalid; ``problems`` lists every problem, one line each."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the question bank"
        super().__init__("\n".join([summary, *self.problems]))


class QuestionBank:
    """An immutable set of validated entries, sorted by id."""

    __slots__ = ("_by_id", "_by_topic", "_entries")

    _entries: tuple[QuestionEntry, ...]
    _by_id: Mapping[str, QuestionEntry]
    _by_topic: Mapping[Topic, tuple[QuestionEntry, ...]]

    def __init__(self, entries: Iterable[QuestionEntry]) -> None:
        ordered = tuple(sorted(entries, key=lambda entry: entry.id))
        by_id: dict[str, QuestionEntry] = {}
        for entry in ordered:
            if entry.id in by_id:
                raise ValueError(f"duplicate question id {entry.id!r}")
            by_id[entry.id] = entry
        by_topic = {
            topic: grouped
            for topic in Topic
            if (grouped := tuple(entry for entry in ordered if entry.topic is topic))
        }
        object.__setattr__(self, "_entries", ordered)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_by_topic", MappingProxyType(by_topic))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def entries(self) -> tuple[QuestionEntry, ...]:
        return self._entries

    def get(self, question_id: str) -> QuestionEntry | None:
        """The entry with this id, or ``None``."""
        return self._by_id.get(question_id)

    def by_topic(self) -> Mapping[Topic, tuple[QuestionEntry, ...]]:
        """Entries grouped by topic (topics in their declared order; empty topics left out)."""
        return self._by_topic

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[QuestionEntry]:
        return iter(self._entries)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def __repr__(self) -> str:
        return f"QuestionBank({len(self._entries)} entries)"


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split a file into (front matter, body) at its first two ``---`` lines; ``None`` if there are none.

    The first line of the file must be ``---``.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None


def _yaml_problem(front: str) -> str:
    """The pure-Python parser's account of a YAML error: it names the problem more plainly."""
    try:
        yaml.safe_load(front)
    except yaml.YAMLError as exc:
        return _described(exc)
    return "invalid YAML"


def _described(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        # +2: marks are 0-based and the front matter starts after the opening "---" line.
        where = f"line {mark.line + 2}, column {mark.column + 1}"
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return f"invalid YAML at {where}: {what}"
    return f"invalid YAML: {exc}"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _duplicate_keys(node: yaml.Node) -> list[str]:
    """Keys repeated within one mapping (``yaml.safe_load`` silently keeps the last one)."""
    found: list[str] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
                if key in seen:
                    found.append(f"line {key_node.start_mark.line + 2}: key {key!r} appears more than once")
                seen.add(key)
            found.extend(_duplicate_keys(value_node))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(_duplicate_keys(item))
    return found


def _loc(parts: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in parts)


def _parse(path: Path, rel: str) -> tuple[QuestionEntry | None, list[str]]:
    """Parse and validate one file on its own; returns the entry (if valid) and its problems."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [f"{rel}: not valid UTF-8 (byte {exc.start}: {exc.reason})"]
    except OSError as exc:
        return None, [f"{rel}: cannot be read ({exc.strerror or exc})"]

    parts = split_front_matter(text)
    if parts is None:
        return None, [f"{rel}: missing front matter (open and close it with '---' lines)"]
    front, body = parts

    try:
        data: Any = yaml.load(front, Loader=_LOADER)  # the safe loader, in C when libyaml is there
        node = yaml.compose(front, Loader=_LOADER)
    except yaml.YAMLError:
        return None, [f"{rel}: {_yaml_problem(front)}"]
    except ValueError as exc:  # a scalar that resolves to an impossible value, e.g. date 2024-13-45
        return None, [f"{rel}: invalid YAML value: {exc}"]
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        return None, [f"{rel}: front matter is {kind}"]

    problems = [f"{rel}: {problem}" for problem in _duplicate_keys(node)] if node is not None else []
    reserved = [key for key in _LOADER_KEYS if key in data]
    problems += [f"{rel}: {key}: filled in by the loader, not allowed in front matter" for key in reserved]
    if problems:
        return None, problems

    try:
        entry = QuestionEntry.model_validate({**data, "answer_markdown": body.strip(), "path": rel})
    except ValidationError as exc:
        return None, [
            f"{rel}: {_loc(error['loc'])}: {error['msg']}" if error["loc"] else f"{rel}: {error['msg']}"
            for error in exc.errors(include_url=False)
        ]

    folders = Path(rel).parts
    if len(folders) != 2:
        problems.append(f"{rel}: must be at <topic>/<id>.md (one folder deep)")
    elif folders[0] != entry.topic.value:
        problems.append(f"{rel}: topic: '{entry.topic.value}' does not match the folder '{folders[0]}'")
    if path.stem != entry.id:
        problems.append(f"{rel}: id: '{entry.id}' does not match the file name '{path.name}'")
    return (None if problems else entry), problems


def question_files(root: Path) -> list[Path]:
    """All question files under ``root`` (``*.md``, hidden files and folders skipped), sorted."""
    return sorted(
        path
        for path in root.rglob("*.md")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def load_entry(path: Path, root: Path | None = None) -> QuestionEntry:
    """Load and validate one file on its own (no cross-file checks); raise :class:`BankError`."""
    base = default_root() if root is None else root
    entry, problems = _parse(path, path.relative_to(base).as_posix())
    if entry is None:
        raise BankError(problems)
    return entry


def _cross_check(entries: list[QuestionEntry], broken: set[str]) -> list[str]:
    """Duplicate ids and ``related`` links; links to files that failed on their own are not re-reported."""
    problems: list[str] = []
    by_id: dict[str, QuestionEntry] = {}
    for entry in entries:
        first = by_id.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(f"{entry.path}: id: duplicate id '{entry.id}' (also in {first.path})")
    for entry in entries:
        for index, other_id in enumerate(entry.related):
            other = by_id.get(other_id)
            if other is None:
                if other_id in broken:
                    continue
                problems.append(f"{entry.path}: related.{index}: unknown id '{other_id}'")
            elif entry.id not in other.related:
                problems.append(
                    f"{entry.path}: related.{index}: '{other_id}' does not link back "
                    f"(add '{entry.id}' to related in {other.path})"
                )
    return problems


def load_bank(root: Path | None = None) -> QuestionBank:
    """Read, validate and cross-check every question file under ``root`` (default: the packaged bank).

    Raises :class:`BankError` listing every problem found.
    """
    base = default_root() if root is None else root
    if not base.is_dir():
        raise BankError([f"{base}: questions folder not found"])
    entries: list[QuestionEntry] = []
    broken: set[str] = set()
    problems: list[str] = []
    for path in question_files(base):
        entry, found = _parse(path, path.relative_to(base).as_posix())
        problems.extend(found)
        if entry is None:
            broken.add(path.stem)
        else:
            entries.append(entry)
    problems.extend(_cross_check(entries, broken))
    if problems:
        raise BankError(problems)
    return QuestionBank(entries)
