"""Fixtures for the real-browser tests: one app server and one Chromium for the session.

Without a browser the tests skip with a message saying how to enable them; under CI
(`CI=true`) a missing browser fails the run instead, so CI never passes by skipping.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.e2e.streamlit_browser import (
    ENABLE_HINT,
    browser_missing_reason,
    launch_chromium,
    streamlit_server,
)

# Streamlit's frontend, opened at a deep link such as /huber, first asks for
# /huber/_stcore/health and /huber/_stcore/host-config (in case the app is served
# under that path), gets a 404 and then uses /_stcore/…. Chromium logs each 404 as a
# console error; they are the frontend's probing, not the app's failures.
BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    reason = browser_missing_reason()
    if reason:
        if _on_ci():
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}; {ENABLE_HINT}")
        pytest.skip(f"browser tests skipped: {reason}; to run them, {ENABLE_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def app_url(browser) -> str:
    """Base URL of `streamlit run app.py` on a free localhost port (after the browser check)."""
    with streamlit_server("app.py") as (base_url, _):
        yield base_url


class ConsoleLog:
    """Console errors and uncaught page errors of one browser tab."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        path = urlsplit(url).path
        if (
            "status of 404" in message.text
            and path.endswith(BASE_PATH_PROBES)
            and (
                path not in BASE_PATH_PROBES  # under a page's path: a probe, not the real endpoint
            )
        ):
            return
        self.errors.append(f"{message.text} ({url})")


@pytest.fixture
def open_tab(browser):
    """A factory for fresh tabs (own context: own cookies, own Streamlit session)."""
    contexts = []

    def open_tab(width: int = 1280, height: int = 800):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        page.console_log = ConsoleLog(page)
        return page

    yield open_tab
    for context in contexts:
        context.close()
