"""The bank's Markdown as XHTML elements: headings, paragraphs, lists, tables, emphasis, code, TeX.

Only what the question files use is understood; everything else stays text. Elements are built
with ElementTree, so every character of the source is escaped by the serializer, never pasted
into markup. TeX is kept for MathJax: ``$…$`` becomes ``\\(…\\)`` and ``$$…$$`` becomes ``\\[…\\]``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,9}[.)]\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?$")
_INLINE = re.compile(
    r"\$\$(?P<display>.+?)\$\$"
    r"|\$(?P<math>[^$\n]+?)\$"
    r"|`(?P<code>[^`\n]+)`"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*?[^*\s])?)\*(?![\w*])",
    re.DOTALL,
)
# Characters XML 1.0 cannot carry at all (C0 controls other than tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters no XML document may contain."""
    return _NOT_XML.sub("", text)


def add_text(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def add_inline(parent: ET.Element, text: str) -> ET.Element:
    """Append ``text`` to ``parent``, turning emphasis, code and math into markup; returns ``parent``."""
    position = 0
    for match in _INLINE.finditer(text):
        add_text(parent, text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        content = match.group(kind or 0)
        if kind == "display":
            add_text(parent, f"\\[{content.strip()}\\]")
        elif kind == "math":
            add_text(parent, f"\\({content}\\)")
        elif kind == "code":
            ET.SubElement(parent, "code").text = content
        elif kind in ("strong", "em"):
            add_inline(ET.SubElement(parent, kind), content)
    add_text(parent, text[position:])
    return parent


def inline(tag: str, text: str) -> ET.Element:
    """A new ``tag`` element holding ``text`` with its inline markup."""
    return add_inline(ET.Element(tag), text)


def _starts_block(line: str) -> bool:
    return bool(_HEADING.match(line) or _BULLET.match(line) or _NUMBERED.match(line) or line.startswith("|"))


def _cells(row: str) -> list[str]:
    inner = row.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in inner.split("|")]


def _table(rows: list[str]) -> ET.Element:
    table = ET.Element("table")
    header, body = (rows[0], rows[2:]) if len(rows) > 1 and _TABLE_RULE.match(rows[1]) else (None, rows)
    if header is not None:
        head_row = ET.SubElement(ET.SubElement(table, "thead"), "tr")
        for cell in _cells(header):
            head_row.append(inline("th", cell))
    if body:
        tbody = ET.SubElement(table, "tbody")
        for row in body:
            body_row = ET.SubElement(tbody, "tr")
            for cell in _cells(row):
                body_row.append(inline("td", cell))
    return table


def _list_item(line: str) -> tuple[str, str] | None:
    """(``ul`` or ``ol``, the item's text) when ``line`` starts a list item."""
    if bullet := _BULLET.match(line):
        return "ul", bullet.group(1)
    if numbered := _NUMBERED.match(line):
        return "ol", numbered.group(1)
    return None


def _list(lines: list[str], start: int) -> tuple[ET.Element, int]:
    """The list starting at ``lines[start]`` and the index of the first line after it."""
    first = _list_item(lines[start].strip())
    assert first is not None
    kind = first[0]
    items: list[list[str]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        item = _list_item(line.strip()) if not line.startswith((" ", "\t")) else None
        if item is not None and item[0] == kind:
            items.append([item[1]])
        elif line.strip() and line.startswith((" ", "\t")) and items:
            items[-1].append(line.strip())
        elif not line.strip() and index + 1 < len(lines):
            following = lines[index + 1]
            continues = following.startswith((" ", "\t")) and following.strip()
            same_kind = (_list_item(following.strip()) or ("", ""))[0] == kind
            if not (continues or same_kind):
                break
        else:
            break
        index += 1
    element = ET.Element(kind)
    for parts in items:
        element.append(inline("li", "\n".join(parts)))
    return element, index


def _paragraph(lines: list[str], start: int) -> tuple[ET.Element, int]:
    """The paragraph starting at ``lines[start]``; display math runs on until its closing ``$$``."""
    collected: list[str] = []
    index = start
    in_math = False
    while index < len(lines):
        line = lines[index].strip()
        if not in_math and collected and (not line or _starts_block(line)):
            break
        collected.append(line)
        in_math ^= line.count("$$") % 2 == 1
        index += 1
    return inline("p", "\n".join(collected)), index


def render(markdown: str) -> list[ET.Element]:
    """The block elements of ``markdown``, in order."""
    lines = xml_safe(markdown).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[ET.Element] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
        elif heading := _HEADING.match(line):
            blocks.append(inline(f"h{len(heading.group(1))}", heading.group(2)))
            index += 1
        elif line.startswith("|"):
            end = index
            while end < len(lines) and lines[end].strip().startswith("|"):
                end += 1
            blocks.append(_table([row.strip() for row in lines[index:end]]))
            index = end
        elif _list_item(line) is not None:
            element, index = _list(lines, index)
            blocks.append(element)
        else:
            element, index = _paragraph(lines, index)
            blocks.append(element)
    return blocks


def to_html(blocks: Iterable[ET.Element]) -> str:
    """Serialise elements as an HTML fragment (explicit end tags, so empty cells stay cells)."""
    return "".join(ET.tostring(block, encoding="unicode", short_empty_elements=False) for block in blocks)


def markdown_html(markdown: str) -> str:
    """``markdown`` as an HTML fragment."""
    return to_html(render(markdown))
