"""What an unexpected error shows (issue 29): in a lecture, a sentence and no traceback for
the students (.streamlit/config.toml, client.showErrorDetails), the details in the server's
log; in the tests, every detail (tests/conftest.py).

Streamlit 1.67 (streamlit/elements/exception.py, _error_detail_visibility): "none" replaces
the message by a generic sentence and sends no type and no traceback; "full" sends them all.
The log line is written whatever the setting (streamlit/error_util.py,
_log_uncaught_app_exception).
"""

from __future__ import annotations

import io
import logging
import tomllib

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.conftest import TESTS_SHOW_ERROR_DETAILS
from tests.e2e.streamlit_browser import PROJECT_ROOT

PAGE = """
import streamlit as st
st.write("a page")
raise ValueError("a secret detail: 42")
"""
SECRET = "a secret detail: 42"
# streamlit/elements/exception.py, _GENERIC_UNCAUGHT_EXCEPTION_TEXT, its first sentence.
SENTENCE = "This app has encountered an error."


def deployed_setting() -> str:
    settings = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    return settings["client"]["showErrorDetails"]


@pytest.fixture
def as_deployed():
    """The deployed setting for one test; the tests' own afterwards."""
    config.set_option("client.showErrorDetails", deployed_setting())
    yield
    config.set_option("client.showErrorDetails", TESTS_SHOW_ERROR_DETAILS)


@pytest.fixture
def server_log():
    """What Streamlit's error log writes during one test. Its handler writes to the stream
    it found when the logger was made (the process's first use, maybe another test's), so
    the test reads a handler of its own on that logger (streamlit/error_util.py's). With
    `logger.enableRich` (on where rich is installed) Streamlit prints the traceback through
    rich instead of logging it: off here, so the log is read the same way everywhere."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("streamlit.error_util")
    rich = config.get_option("logger.enableRich")
    config.set_option("logger.enableRich", False)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    config.set_option("logger.enableRich", rich)


def test_a_lecture_shows_students_a_sentence_and_logs_the_traceback(as_deployed, server_log):
    at = AppTest.from_string(PAGE).run()
    (shown,) = at.exception
    assert shown.message.startswith(SENTENCE)
    assert SECRET not in shown.message
    assert (shown.proto.type, list(shown.stack_trace)) == ("", [])
    log = server_log.getvalue()
    assert "ValueError" in log and SECRET in log
    assert 'raise ValueError("a secret detail: 42")' in log  # the line that raised


def test_tests_see_every_detail():
    at = AppTest.from_string(PAGE).run()
    (shown,) = at.exception
    assert (shown.message, shown.proto.type) == (SECRET, "ValueError")
    assert any("raise ValueError" in line for line in shown.stack_trace)
