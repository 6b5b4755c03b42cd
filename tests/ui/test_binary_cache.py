"""ui/binary_cache.py: each view is keyed by what it shows, so a move that changes nothing in
a chart gives back the same figure (the live chart then sends its revision only).

Settings and data are the page's defaults (`tests/app/test_binary.py`); which settings leave
which counts unchanged is read from the fits themselves, not assumed."""

from __future__ import annotations

from ui import binary_cache, cache

DATA_KEY = cache.key_of(
    {"n": 500, "positive_fraction": 0.1, "separation": 2.0, "label_noise": 0.0, "seed": 0}
)
FOCAL = {"gamma": 2.0, "alpha": None}
WEIGHT = 9.0  # the page's automatic balance at the defaults: 450 / 50


def page(gce_q: float):
    settings = {"focal": FOCAL, "gce": {"q": gce_q}}
    return binary_cache.page_losses(WEIGHT, settings), binary_cache.settings_key(settings)


def gce_fit(gce_q: float):
    losses, _ = page(gce_q)
    return binary_cache.fit(DATA_KEY, next(item for item in losses if item.id == "gce"))


def counts(gce_q: float):
    return binary_cache.classifier_metrics(DATA_KEY, cache.key_of(gce_fit(gce_q).params))


def test_another_loss_s_setting_leaves_the_boundary_plot_as_it_was():
    before, _ = page(0.7)
    after, _ = page(0.3)
    chosen = next(item for item in before if item.id == "bce_weighted")
    figure, _ = binary_cache.boundary_view(DATA_KEY, binary_cache.boundary_lines(chosen, before))
    again, _ = binary_cache.boundary_view(DATA_KEY, binary_cache.boundary_lines(chosen, after))
    assert again is figure
    # The chosen loss's own line does change the plot.
    gce = next(item for item in after if item.id == "gce")
    other, _ = binary_cache.boundary_view(DATA_KEY, binary_cache.boundary_lines(gce, after))
    assert other is not figure


def test_a_setting_that_changes_no_count_gives_back_the_same_matrices_and_table():
    # GCE's line moves with q (its fit differs), but these two q leave its counts as they are.
    assert gce_fit(0.7).params != gce_fit(0.69).params
    assert counts(0.7) == counts(0.69)
    figure, table, _ = binary_cache.metrics_view(DATA_KEY, WEIGHT, page(0.7)[1])
    again, same_table, _ = binary_cache.metrics_view(DATA_KEY, WEIGHT, page(0.69)[1])
    assert again is figure and same_table is table
