"""Chromium (Debian's package) driven by Playwright against pytest-django's live server.

When REQUIRE_BROWSER=1 (CI), a missing Chromium fails the run instead of skipping it."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls happen in
# its own thread, so Django's async-safety guard does not apply to the test's own DB calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip("Chromium not installed (set REQUIRE_BROWSER=1 to make this an error).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


# Chromium's words for what the Content-Security-Policy refused ("Refused to execute inline
# script because it violates the following Content Security Policy directive: …").
CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
# Also reported from the page itself, with the directive and where (an init script runs
# whatever the page's policy says; the page's own scripts are still bound by it).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`;
  console.error(`Content Security Policy violation: ${e.violatedDirective} ${where}`);
});
"""


def csp_violations(messages: list[str]) -> list[str]:
    return [text for text in messages if any(word in text for word in CSP_WORDS)]


@pytest.fixture
def page_factory(browser):
    """make(viewport=, locale=) → a new page in its own context. Every browser test runs under the
    portal's Content-Security-Policy: a violation on any page (popups included) fails the test."""
    contexts = []
    console: list[str] = []

    def make(viewport=DESKTOP, locale="vi-VN"):
        context = browser.new_context(viewport=viewport, locale=locale)
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", lambda message: console.append(f"{message.text} ({message.location.get('url')})"))
        contexts.append(context)
        return context.new_page()

    make.console = console  # for tests that look at the messages mid-way

    from playwright.sync_api import Error as PlaywrightError

    yield make
    # Let every request the pages still have in flight (a debounced reading, an autocomplete)
    # finish before the contexts close: the live server would otherwise still be reading the
    # database while the test's flush empties it (SQLite's shared in-memory database then says
    # "table is locked", and the next test starts with this one's rows).
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):  # a page that never settles is closed anyway
                page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
    assert csp_violations(console) == [], "the Content-Security-Policy refused something on these pages"


def screenshot(page, name: str) -> None:
    """Kept under test-artifacts/ (ignored by git) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the site's log-in page as a person would (labels, the button), and wait for
    the page it leads to. The new-office journey keeps its own, which counts every step it takes."""
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
