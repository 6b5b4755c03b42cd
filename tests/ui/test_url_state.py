"""ui/url_state.py on a small page: a count kept in session state and in the link as ``n``
(default 1), read from the link once, mirrored back, gone from the link at its default."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui import url_state


def _page():
    import streamlit as st

    from ui import url_state

    def parse(text: str) -> int:
        if not text.isdigit() or int(text) > 99:
            raise ValueError(f"The link's count {text[:20]!r} is not a whole number up to 99.")
        return int(text)

    def add(step: int) -> None:
        st.session_state["count"] += step

    count, note = url_state.read_once("n", parse, lambda: 1, state_key="count")
    if note:
        st.info(note)
    st.button("more", key="more", on_click=add, args=(1,))
    st.button("less", key="less", on_click=add, args=(-1,))
    url_state.mirror("n", count, 1)
    st.markdown(f"count {count}")


def _open(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    at.query_params.update(query or {})
    return at.run()


def _shown(at: AppTest) -> str:
    return at.markdown[0].value


def test_the_links_value_is_read_once_and_stays_in_the_link():
    at = _open({"n": "5"})
    assert _shown(at) == "count 5" and at.query_params["n"] in ("5", ["5"])
    at.query_params["n"] = "9"  # read once per session: a later URL value is not read again
    assert _shown(at.run()) == "count 5"
    assert at.query_params["n"] in ("5", ["5"])  # mirrored back


def test_a_value_that_changes_is_mirrored_and_leaves_the_link_at_its_default():
    at = _open()
    assert _shown(at) == "count 1" and "n" not in at.query_params
    at.button(key="more").click().run()
    assert _shown(at) == "count 2" and at.query_params["n"] in ("2", ["2"])
    at.button(key="less").click().run()
    assert _shown(at) == "count 1" and "n" not in at.query_params


def test_a_hostile_value_gets_a_sentence_once_and_the_default():
    at = _open({"n": "<script>alert(1)</script>"})
    assert not at.exception
    assert _shown(at) == "count 1" and "n" not in at.query_params
    # The page's parse quotes the link's first 20 characters.
    said = "The link's count '<script>alert(1)</sc' is not a whole number up to 99."
    assert at.info[0].value == said
    assert not at.run().info  # said once, on the read


def test_an_empty_value_is_no_value():
    at = _open({"n": ""})
    assert _shown(at) == "count 1" and not at.info and "n" not in at.query_params


def test_read_outside_a_page_has_no_link():
    assert url_state.read("n", int) == (None, None)
