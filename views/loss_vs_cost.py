"""Home page: a loss scores one sample, the cost averages the losses over the data."""

import functools

import streamlit as st

from lessons import alt_text, cost_table, reproduce
from ui import cache, controls, presentation, reproduce_panel, url_state
from ui.explain import describe
from ui.live_chart import live_chart

TASK_NAMES = {
    "regression": "Regression",
    "binary": "Binary classification",
    "multiclass": "Multi-class classification",
}
# The table always holds probabilities for k classes, so the multi-class logits switch is moot.
TABLE_HOLDS_PROBABILITIES = ("from_logits",)

if presentation.shows("intro"):  # a scene's narration says it instead
    st.title("Loss vs cost")
    st.markdown(
        "**A loss** ℓ(y, ŷ) scores *one* prediction ŷ against its true value y: one number per "
        "sample, large when the prediction is bad.  \n"
        "**The cost** J is the average of those losses over the whole data set, "
        "J = (1/n) Σᵢ ℓ(yᵢ, ŷᵢ): the single number that training makes as small as it can."
    )
    st.caption("Edit the table: change a value, add or delete a row. The bars and the cost follow.")


def _table_from_link(text: str, task: str):
    """The table a link's cells give (`cost_table.decode`); ValueError with a sentence."""
    table = cost_table.decode(text, task)
    if table is None:
        raise ValueError("The table in this link could not be read, so the example is shown.")
    return table


# A fragment: every control of the page is in it, so a move reruns it alone, not the app's
# frame (navigation, tour) and the introduction above.
@st.fragment
def loss_and_cost() -> None:
    left, right = st.columns([2, 3], gap="large")
    with left:
        task = st.radio(
            "Task",
            list(TASK_NAMES),
            format_func=TASK_NAMES.get,
            horizontal=True,
            key="cost_task",
            bind="query-params",
        )
        loss = controls.loss_picker(task, key=f"cost_loss_{task}")
        skip = TABLE_HOLDS_PROBABILITIES if task == "multiclass" else ()
        with st.expander("Parameters", expanded=bool(loss.params)):
            params = controls.param_controls(loss, key_prefix="cost", skip=skip)
            if not loss.params:
                st.caption(f"{loss.name} has no parameters.")

        # The table is not a bindable widget: its cells travel in the link as text instead.
        url_key, start_key = f"cost_rows_{task}", f"cost_start_{task}"
        start, note = url_state.read_once(
            url_key,
            functools.partial(_table_from_link, task=task),
            functools.partial(cost_table.example, task),
            state_key=start_key,
        )
        if note:
            st.info(note)
        table = st.data_editor(
            start,
            num_rows="dynamic",
            hide_index=False,
            key=f"cost_editor_{task}",
            width="stretch",
        )
        url_state.mirror(url_key, cost_table.encode(table), cost_table.encoded_example(task))
        if st.button("Back to the example table", key=f"cost_reset_{task}"):
            for key in (start_key, f"cost_editor_{task}"):
                st.session_state.pop(key, None)
            st.query_params.pop(url_key, None)
            st.rerun()
        prediction_help = {
            "regression": "y is the true value, ŷ the prediction.",
            "binary": "y is the true label (0 or 1); ŷ the predicted probability of class 1 "
            "(a raw score for hinge, or with “inputs are logits” on).",
            "multiclass": "y is the true class (0, 1, 2); p0, p1, p2 the predicted probabilities.",
        }
        st.caption(prediction_help[task])

    with right:
        st.subheader(loss.name)
        st.latex(loss.latex)
        try:
            breakdown = cost_table.evaluate(loss, table, **params)
        except ValueError as error:
            st.warning(f"{loss.name} cannot score this table: {error}")
            st.stop()
        for note in breakdown.notes:
            st.info(note)
        labels = [str(row) for row in breakdown.rows]
        details = cost_table.row_texts(table, breakdown.rows)
        figure = cache.cost_figure(
            tuple(breakdown.per_sample),
            breakdown.cost,
            loss.id,
            loss.name,
            tuple(labels),
            tuple(details),
        )
        alt = alt_text.cost_bars(loss.name, breakdown.per_sample, breakdown.cost)
        live_chart(figure, key="cost_chart", alt=alt)
        st.latex(cost_table.mean_written_out(breakdown))
        if presentation.shows("reproduce"):
            reproduce_panel.panel(
                functools.partial(
                    reproduce.page_number,
                    "The cost J",
                    loss.id,
                    params,
                    breakdown.y_true,
                    breakdown.y_pred,
                ),
                key="cost",
                csv_name=f"loss_vs_cost_{task}.csv",
                note=f"The table of the Loss vs cost page ({TASK_NAMES[task]}).",
            )
        describe(loss, formula=False)


loss_and_cost()
