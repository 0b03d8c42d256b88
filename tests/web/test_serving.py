"""Serving the self-quiz page over plain HTTP: headers, static files, the vendored KaTeX, no unsafe code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.routes.web import STATIC_DIR, WEB_DIR

OWN_SCRIPTS = sorted(p for p in STATIC_DIR.glob("*.js"))
KATEX = STATIC_DIR / "vendor" / "katex"


def katex_version() -> str:
    found = re.search(r'version:"(\d+\.\d+\.\d+)"', (KATEX / "katex.min.js").read_text(encoding="utf-8"))
    assert found, "katex.min.js names its version"
    return found.group(1)


def test_index_is_served_with_a_strict_policy(client: TestClient) -> None:
    reply = client.get("/")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>examgrader · self-quiz</title>" in reply.text
    policy = dict(
        directive.strip().split(" ", 1) for directive in reply.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["cache-control"] == "no-cache"


def test_index_answers_head(client: TestClient) -> None:
    reply = client.head("/")
    assert reply.status_code == 200
    assert "content-security-policy" in reply.headers


def test_index_has_no_inline_code_and_names_nothing_outside() -> None:
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert re.findall(r"\son\w+\s*=", html) == []
    assert re.findall(r"\sstyle\s*=", html) == []
    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w", html) == []


@pytest.mark.parametrize(
    ("path", "media_type", "cache"),
    [
        ("/static/app.js", "text/javascript; charset=utf-8", "no-cache"),
        ("/static/style.css", "text/css; charset=utf-8", "no-cache"),
        ("/static/favicon.svg", "image/svg+xml", "no-cache"),
        (
            "/static/vendor/katex/katex.min.js",
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "/static/vendor/katex/katex.min.css",
            "text/css; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "/static/vendor/katex/fonts/KaTeX_Main-Regular.woff2",
            "font/woff2",
            "public, max-age=31536000, immutable",
        ),
    ],
)
def test_static_files_have_their_type_and_cache_policy(
    client: TestClient, path: str, media_type: str, cache: str
) -> None:
    reply = client.get(path)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == media_type
    assert reply.headers["cache-control"] == cache
    assert reply.headers["x-content-type-options"] == "nosniff"
    again = client.get(path, headers={"if-none-match": reply.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path", ["/static/nothing.js", "/static/../routes/web.py", "/static/%2e%2e/routes/web.py"]
)
def test_missing_or_escaping_static_paths_are_404(client: TestClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "not_found"


def test_every_script_and_style_the_page_loads_exists(client: TestClient) -> None:
    html = client.get("/").text
    refs = re.findall(r'(?:src|href)="(/static/[^"?]+)', html)
    assert len(refs) >= 5
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
    for script in OWN_SCRIPTS:
        for imported in re.findall(r'from "\./([\w.]+)"', script.read_text(encoding="utf-8")):
            assert (STATIC_DIR / imported).is_file(), f"{script.name} imports {imported}"


def test_every_module_is_preloaded() -> None:
    """The modules app.js imports are fetched at once, not one level of imports after another."""
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="/static/([\w.]+)">', html))
    assert preloaded == {p.name for p in OWN_SCRIPTS} - {"app.js"}


def test_the_page_asks_for_the_vendored_katex_version() -> None:
    """Vendored files are cached for a year, so their URL carries the version: it must be the shipped one."""
    version = katex_version()
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"vendor/katex/katex\.min\.\w+\?v=([\d.]+)", html))) == [version]
    readme = (STATIC_DIR / "vendor" / "README.md").read_text(encoding="utf-8")
    assert f"katex@{version}" in readme


def test_vendored_katex_is_complete() -> None:
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\(fonts/([\w-]+\.woff2)\)", css))
    assert fonts and fonts == {p.name for p in (KATEX / "fonts").glob("*.woff2")}
    assert "MIT License" in (KATEX / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", OWN_SCRIPTS, ids=lambda p: Path(p).name)
def test_own_scripts_never_turn_text_into_markup_or_code(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "srcdoc",
    ):
        assert sink not in source, f"{script.name} uses {sink}"
    assert "trust: true" not in source


def test_practice_names_and_labels_the_asked_parts(client: TestClient) -> None:
    body = client.get("/v1/practice", params={"kind": "confusion_binary", "seed": 3}).json()
    assert [part["name"] for part in body["parts"]] == body["asked"]
    assert all(part["label"] and part["kind"] == "fraction" for part in body["parts"])
    shape = client.get("/v1/practice", params={"kind": "gradient_shape", "seed": 3}).json()
    assert shape["parts"] == [{"name": "shape", "label": shape["parts"][0]["label"], "kind": "shape"}]
