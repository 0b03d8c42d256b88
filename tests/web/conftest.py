"""The real server in a subprocess and Debian's Chromium driven by Playwright, for the self-quiz page.

Every page is watched: a request to anything but the test server is refused and reported, and
console errors or uncaught exceptions fail the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    sync_playwright,
)

from tests.live_server import ROOT, ServerFailed, running_server

ARTIFACTS = ROOT / "test-artifacts" / "web"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn on a free loopback port; yields its base URL."""
    # The page tests send many requests from one address: no rate limit (it has tests of its own).
    env = {
        "EXAMGRADER_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "EXAMGRADER_RATE_LIMIT_PER_MINUTE": "0",
    }
    log = tmp_path_factory.mktemp("server") / "server.log"
    try:
        with running_server(env, log) as live:
            yield live.base
    except ServerFailed as failure:
        pytest.fail(str(failure))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded browser build)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the page tests need Debian's Chromium. "
            "Install it with `apt-get update && apt-get install -y chromium` (or `make chromium`).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Watch:
    """What a page did that it must not: leave the machine, log errors, throw, open dialogs."""

    server: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def guard(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def problems(self) -> list[str]:
        return [
            *(f"request left the machine: {url}" for url in self.outside),
            *self.errors,
            *(f"dialog opened: {text}" for text in self.dialogs),
        ]


def open_context(browser: Browser, watch: Watch, viewport: dict[str, int], scheme: str) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport,
        color_scheme=scheme,
        device_scale_factor=1,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
        service_workers="block",
    )
    context.route("**/*", watch.guard)
    return context


def watch_page(page: Page, watch: Watch) -> Page:
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def watch(server: str) -> Iterator[Watch]:
    found = Watch(server)
    yield found
    problems = found.problems()
    assert not problems, "the page misbehaved:\n" + "\n".join(problems)


@pytest.fixture
def context(browser: Browser, watch: Watch) -> Iterator[BrowserContext]:
    """A fresh browser profile (empty localStorage), laptop-sized, light theme."""
    context = open_context(browser, watch, LAPTOP, "light")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, watch: Watch) -> Page:
    return watch_page(context.new_page(), watch)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
