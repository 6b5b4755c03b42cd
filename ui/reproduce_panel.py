""" "Reproduce this number": an expander with the NumPy, PyTorch and Keras scripts that
recompute a page's number (`lessons.reproduce`), and the CSV they read when the data are
too many rows to write into the script.

The expander runs its content only while it is open (``on_change="rerun"``): writing three scripts
and their CSV would slow every cold rerun of a page, more for a student's file of up to 100,000
rows, for a panel most students never open.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lessons import export, reproduce
from ui.cache import key_of

ENTRIES = 32


# Cache policy (ui.cache): results.
@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def _scripts(loss_id: str, params: tuple, y_true, y_pred, csv_name: str, note: str):
    """The three scripts and, beyond `reproduce.INLINE_ROWS` rows, the CSV bytes they read."""
    code = reproduce.snippets(loss_id, dict(params), y_true, y_pred, csv_name=csv_name, note=note)
    if len(y_pred) <= reproduce.INLINE_ROWS:
        return code, None
    return code, export.csv_bytes(reproduce.data_table(loss_id, dict(params), y_true, y_pred))


LABEL = "Reproduce this number in NumPy, PyTorch or Keras"


def panel(
    number: reproduce.PageNumber | Callable[[], reproduce.PageNumber],
    *,
    key: str,
    csv_name: str,
    note: str = "",
) -> None:
    """The expander for ``number`` (or a function that computes it, called only while the
    expander is open); ``key`` (the page's prefix first) names the expander
    (``<key>_reproduce``, open when True in session state) and its download."""
    box = st.expander(LABEL, key=f"{key}_reproduce", on_change="rerun")
    if not box.open:
        return
    if callable(number):
        number = number()
    code, csv = _scripts(
        number.loss_id, key_of(number.params), number.y_true, number.y_pred, csv_name, note
    )
    with box:
        st.markdown(f"{number.what}: `{number.value!r}`")
        if csv is None:
            st.caption(
                f"The {len(number.y_pred)} rows are written into each script; each prints the "
                "per-sample losses and their mean, the cost above."
            )
        else:
            st.caption(
                f"The {len(number.y_pred):,} rows are too many to write into a script: each "
                f"reads {csv_name}, downloaded here, from its folder, and prints the per-sample "
                "losses and their mean, the cost above."
            )
            st.download_button(
                f"Download {csv_name}",
                csv,
                file_name=csv_name,
                mime="text/csv",
                key=f"{key}_reproduce_csv",
                on_click="ignore",
            )
        for tab, (framework, script) in zip(st.tabs(list(code)), code.items(), strict=True):
            with tab:
                if script is None:  # the loss's entry has no snippet for this framework
                    st.info(reproduce.missing(number.loss_id, framework))
                    continue
                st.code(script, language="python", line_numbers=False)
                st.caption(INSTALL[framework] + (" It reads the CSV with pandas." if csv else ""))


INSTALL = {
    "NumPy": "Needs numpy (pip install numpy).",
    "PyTorch": "Needs torch and numpy (pip install torch numpy).",
    "Keras": "Needs Keras 3 and a backend (pip install keras tensorflow; or jax, or torch).",
}
