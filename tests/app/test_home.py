"""The app frame and its placeholder page run without an exception (streamlit AppTest)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

import losses

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_home_page_lists_every_registered_loss():
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    titles = [expander.label for expander in app.expander]
    # Source: the registry itself — every registered loss must be presented.
    assert titles == [loss.name for loss in losses.REGISTRY.values()]
    assert len(app.latex) == len(losses.REGISTRY)
