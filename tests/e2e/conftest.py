"""End-to-end tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live_server. Never downloads a browser; skips cleanly when /usr/bin/chromium is missing.
A failing test leaves a full-page screenshot in test-results/<test name>.png."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "jiankang-2026"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("E2E_REQUIRED"):  # .ci/run: a missing browser is a failure, not a skip
        raise pytest.UsageError(f"E2E_REQUIRED is set but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; Django's ORM (fixtures, assertions)
    refuses to run "inside" it unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Only for the e2e tests
    (it would also trip `check --deploy`, async.E001, in the rest of the suite)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright):
    """One Chromium per test module; Playwright stops with it, so no event loop outlives the e2e
    tests (the rest of the suite then runs without DJANGO_ALLOW_ASYNC_UNSAFE)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()  # what the tests' fixtures opened beside the loop (see new_page)


class ConsoleLog(list):
    """Console errors of the page (CSP violations show up here)."""

    def csp_violations(self) -> list[str]:
        return [m for m in self if "Content Security Policy" in m]


@pytest.fixture
def new_page(browser, request, live_server):
    """Open a browser page in a context of its own (one per person: separate cookies). On failure
    every page opened this way is saved as test-results/<test>[-<who>].png."""
    opened = []

    def open_page(who: str = ""):
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.console_errors = ConsoleLog()
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        opened.append((who, context, page))
        return page

    yield open_page
    failed = getattr(request.node, "rep_call", None)
    for who, context, page in opened:
        if failed is not None and failed.failed:
            RESULTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:] + (f"-{who}" if who else "")
            try:
                page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # the page may be gone; the test failure is what matters
                print(f"screenshot failed: {exc}")
        context.close()
    # The test's own ORM calls ran beside Playwright's loop on a connection of their own (asgiref's
    # context-local storage); close it, or PostgreSQL cannot drop the test database afterwards.
    connections.close_all()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def e2e_demo(transactional_db):
    """seed_demo in the live server's database."""
    from reports import demo

    demo.seed()
    return demo


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main").get_by_role("button").click()
    page.wait_for_load_state("networkidle")
