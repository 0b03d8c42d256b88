import re

import pytest

from app.observability.request_id import request_id_from

FRESH = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("header", [b"abc", b"trace-42.A_b", b"x" * 128, b"0"])
def test_a_safe_header_is_kept(header):
    assert request_id_from(header) == header.decode()


@pytest.mark.parametrize(
    "header",
    [None, b"", b"x" * 129, b"has space", b"semi;colon", b"new\nline", "caf\xe9".encode("latin-1"), b"a/b"],
)
def test_anything_else_gets_a_fresh_uuid(header):
    first, second = request_id_from(header), request_id_from(header)
    assert FRESH.fullmatch(first) and FRESH.fullmatch(second)
    assert first != second
