"""ui/cost_charts.py: bars per sample in the loss's colour, and the cost line."""

import numpy as np

from ui.charts import TRUTH_COLOUR, colour_for
from ui.cost_charts import cost_bars_figure


def test_bars_and_cost_line():
    figure = cost_bars_figure(
        np.array([0.25, 1.0, 4.0]),
        1.75,
        loss_id="mae",
        loss_name="MAE",
        sample_labels=["0", "1", "2"],
        hover_details=["a", "b", "c"],
    )
    bars, line = figure.data
    assert bars.type == "bar" and list(bars.x) == ["0", "1", "2"]
    np.testing.assert_array_equal(bars.y, [0.25, 1.0, 4.0])
    assert bars.marker.color == colour_for("mae")
    np.testing.assert_array_equal(line.y, [1.75] * 3)
    assert line.line.color == TRUTH_COLOUR and line.line.dash == "dash"
    assert "1.75" in line.name
    assert figure.layout.xaxis.title.text == "sample i"
    assert figure.layout.xaxis.type == "category"
    assert figure.layout.yaxis.title.text == "loss ℓ<sub>i</sub>"
    assert [row[0] for row in bars.customdata] == ["a", "b", "c"]
    # The label J = … in the right margin; a narrow chart drops it (the legend's line
    # entry gives the value) and the margin with it.
    assert [note.text for note in figure.layout.annotations] == ["J = 1.75"]
    narrow = figure.layout.meta["responsive"]["layout"]
    assert narrow["annotations"] == [] and narrow["margin"]["r"] < figure.layout.margin.r
