"""The numerics page (AppTest): its four charts, its table showing the naive ways' inf and
NaN beside the stable numbers, and the softmax table at a logit past float64's range."""

from __future__ import annotations

from tests.app.harness import figures, open_page, problems

PAGE = "views/numerics.py"


def test_the_page_shows_where_the_naive_ways_break():
    at = open_page(PAGE)
    assert problems(at) == []
    assert len(figures(at)) == 4
    table = at.dataframe[0].value.set_index("z")
    # y = 0 at z = 40 (lessons.numerics, hand-derived failure points in its tests):
    assert table.loc["40", "loss, naive float64"] == "inf"
    assert table.loc["40", "gradient, naive float64"] == "NaN"
    assert table.loc["40", "loss, stable"] == "40"
    assert table.loc["20", "loss, naive float32"] == "inf"


def test_softmax_past_float64_range_is_nan_naively_and_one_stably():
    at = open_page(PAGE, query_params={"num_softmax_scale": "1000"})
    assert problems(at) == []
    table = at.table[0].value
    assert (table.loc["naive e^z / Σe^z, float64"] == "NaN").any()
    assert table.loc["stable: z − max(z) first (the core)"].iloc[0] == "1"


def test_the_clip_sentence_follows_epsilon():
    at = open_page(PAGE, query_params={"num_eps": "0.001"})
    assert problems(at) == []
    text = " ".join(block.value for block in at.markdown)
    assert "−log ε = 6.91" in text  # −ln(0.001) = 6.9078, by hand
    # Keras clips, PyTorch's BCELoss does not: its curve is drawn beside the clipped one.
    assert "Keras clips them to [ε, 1 − ε]" in text
    assert "PyTorch's BCELoss does not clip p" in text
    for chart in figures(at)[2:]:
        names = [trace["name"] for trace in chart["data"]]
        assert any(name.startswith("PyTorch BCELoss") for name in names), names
