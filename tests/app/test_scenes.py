"""The lecture's scenes and presentation mode, in AppTest: every scene opens from its link
with its settings and its charts, ◀ ▶ move through the tour, a question hides the charts
until it is answered and then judges the answer by what the core computes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from losses import fit
from losses.data import make_regression
from tests.app import harness
from ui import cache, presentation, scenes, site

NUMBERS = range(1, len(scenes.SCENES) + 1)


def _open(number: int, **extra) -> object:
    scene = scenes.SCENES[number - 1]
    return harness.open_page(
        scene.page.view, query_params={"present": "1", "scene": str(number), **extra}
    )


def _problems(at) -> list[str]:
    return [element.value for element in at.exception] + [e.value for e in at.error]


@pytest.mark.parametrize("number", NUMBERS)
def test_every_scene_opens_from_its_link_with_its_settings_and_charts(number):
    scene = scenes.SCENES[number - 1]
    at = _open(number)
    assert _problems(at) == []
    assert f"{number} / {len(scenes.SCENES)} · {scene.title}" in at.markdown[0].value
    for key, value in scene.settings.items():
        assert at.session_state[key] == value, key
    if scene.question is not None:
        assert harness.live_charts(at) == [] or set(scene.question.hides) != set(scene.sections)
        at.button(key=f"scene_{number}_reveal").click().run()
        assert _problems(at) == []
    assert len(harness.live_charts(at)) >= 1
    # Presentation mode: no widget is left in the sidebar (the settings sit in the row).
    assert len(at.sidebar) == 0


def test_a_question_hides_its_charts_until_answered_then_judges_by_the_core():
    number = next(
        n
        for n in NUMBERS
        if scenes.SCENES[n - 1].page is site.REGRESSION and scenes.SCENES[n - 1].question
    )
    at = _open(number)
    keys = [element.key for element in harness.live_charts(at)]
    assert "reg_fit_chart" not in keys  # the chart that gives the answer away
    radio = at.radio(key=f"scene_{number}_guess")
    # 20% outliers above the line: least squares moves further (lessons.predictions,
    # checked in tests/lessons/test_predictions.py against the fitted lines' gaps).
    radio.set_value("The MAE line").run()
    assert "reg_fit_chart" in [element.key for element in harness.live_charts(at)]
    assert at.warning and "The least-squares (MSE) line" in at.warning[0].value
    again = _open(number)
    again.radio(key=f"scene_{number}_guess").set_value("The least-squares (MSE) line").run()
    assert again.success and again.success[0].value.startswith("Right")


def _outcome(at) -> list[str]:
    """The descent page's outcome sentences (lessons.descent.judge), as the page wrote them."""
    starts = ("Converged", "Still bouncing", "Still on its way", "Stalled", "Diverged")
    return [element.value for element in at.markdown if element.value.startswith(starts)]


def test_the_answer_follows_the_scenes_data():
    """The descent question's answer is computed: the scene's η = 0.0315 diverges (2/L =
    0.0257 for these x, losses.fit.descent.mse_step_limit), the same scene with η = 0.02 in
    its link settles, and with η = 0.001 it is still short of the bottom after 1000 epochs."""
    number = next(
        n
        for n in NUMBERS
        if scenes.SCENES[n - 1].page is site.DESCENT and scenes.SCENES[n - 1].question
    )
    fast = _open(number)
    fast.button(key=f"scene_{number}_reveal").click().run()
    assert "It blows up (diverges)" in fast.info[-1].value
    slow = _open(number, gd_rate="0.02")
    slow.button(key=f"scene_{number}_reveal").click().run()
    assert "It settles at the bottom" in slow.info[-1].value
    crawl = _open(number, gd_rate="0.001")
    crawl.button(key=f"scene_{number}_reveal").click().run()
    assert "still short of the bottom" in crawl.info[-1].value


@pytest.mark.parametrize(
    "rate, extra",
    [
        ("0.0315", {}),
        ("0.02", {"gd_batch": "1"}),
        ("0.045", {"gd_momentum": "0.9"}),
        ("0.001", {}),
        ("0.02", {"gd_loss": "mae"}),
    ],
)
def test_the_answer_is_the_page_s_own_outcome(rate, extra):
    """One judgement: the verdict's why is the outcome sentence the page prints beside it,
    whatever the link changes (batch size, momentum, the loss)."""
    number = next(
        n
        for n in NUMBERS
        if scenes.SCENES[n - 1].page is site.DESCENT and scenes.SCENES[n - 1].question
    )
    settings = {**scenes.SCENES[number - 1].settings, "gd_rate": rate, **extra}
    page = harness.open_page(
        "views/gradient_descent.py",
        query_params={key: str(value) for key, value in settings.items()},
    )
    said = _outcome(page)
    at = _open(number, gd_rate=rate, **extra)
    at.button(key=f"scene_{number}_reveal").click().run()
    assert said and said[0] in at.info[-1].value


# What each descent scene's narration claims, checked on the page the scene opens.
NARRATED = {
    "MSE with a safe step": "Converged",  # "the descent lands on the least-squares line"
    "MAE keeps bouncing": "Still bouncing",  # "keeps stepping over the bottom"
    "Huber, with momentum": "Converged",  # momentum carries it down the valley
}


@pytest.mark.parametrize("title", sorted(NARRATED))
def test_a_descent_scene_s_narration_is_what_its_page_says(title):
    number = next(n for n in NUMBERS if scenes.SCENES[n - 1].title == title)
    said = _outcome(_open(number))
    assert said and said[0].startswith(NARRATED[title])


def test_next_and_previous_move_through_the_tour():
    at = _open(2)
    at.button(key="scene_next").click().run()
    assert at.query_params["scene"] == ["3"] or at.query_params["scene"] == "3"
    assert f"3 / {len(scenes.SCENES)}" in at.markdown[0].value
    at.button(key="scene_back").click().run()
    assert f"2 / {len(scenes.SCENES)}" in at.markdown[0].value
    # Back at scene 2 its own settings again (MSE), not scene 3's MAE.
    assert at.session_state["reg_loss"] == "mse"


def test_a_link_to_a_scene_that_does_not_exist_says_so():
    at = harness.open_page("views/regression.py", query_params={"present": "1", "scene": "99"})
    assert _problems(at) == []
    assert any("scenes 1 to" in info.value for info in at.info)
    assert len(harness.live_charts(at)) >= 1


def test_the_link_s_own_values_win_over_the_scene_s():
    at = _open(2, reg_data_outliers="0.3")
    assert at.session_state["reg_data_outliers"] == pytest.approx(0.3)


@pytest.mark.parametrize("page", harness.page_paths())
def test_every_page_in_presentation_mode(page):
    at = harness.open_page(page, query_params={"present": "1"})
    assert _problems(at) == []
    assert len(harness.live_charts(at)) >= 1
    assert len(at.sidebar) == 0
    at.button(key="present_exit").click().run()
    assert presentation.PRESENT not in at.query_params
    assert len(at.sidebar) > 0


def test_the_sidebar_button_starts_presentation_mode():
    at = harness.open_page("views/huber.py")
    at.button(key="present_on").click().run()
    assert at.query_params[presentation.PRESENT] in ("1", ["1"])
    assert len(at.sidebar) == 0


@pytest.mark.parametrize("page", site.PAGES, ids=lambda page: page.url_path)
def test_every_keyed_widget_of_a_page_starts_with_its_prefix(page):
    # scenes.apply resets a page by deleting the keys with its record's prefix: a widget
    # outside it would keep a student's value into a scene that means to fix it.
    from tests.upload_files import GOOD_FILES

    at = harness.open_page(page.view)
    if at.file_uploader:  # with a file, its column pickers appear too
        kind = {site.BINARY: "binary", site.MULTICLASS: "multiclass"}
        good = next(f for f in GOOD_FILES if f.task == kind.get(page, "regression"))
        at.file_uploader[0].set_value(("mine.csv", good.raw, "text/csv")).run(timeout=120)
    keys = [widget.key for widget in harness.widgets(at) if harness.has_user_key(widget)]
    assert keys
    own = (page.prefix, *site.FRAME_PREFIXES)
    outside = [key for key in keys if not key.startswith(own)]
    assert outside == []


def test_the_descent_question_names_the_settings_it_runs_with():
    """A link that changes the scene's η or batch changes the question's words with it."""
    number = next(
        n
        for n in NUMBERS
        if scenes.SCENES[n - 1].page is site.DESCENT and scenes.SCENES[n - 1].question
    )
    assert "η = 0.0315, 1000 epochs, full batch:" in _open(number).radio[0].label
    linked = _open(number, gd_rate="0.02", gd_batch="1", gd_momentum="0.9")
    label = linked.radio[0].label
    assert "η = 0.02, 1000 epochs, mini-batches of 1, momentum μ = 0.9:" in label


def test_the_weighting_scene_shows_the_page_s_computed_lesson():
    """Scene 13's comparison is the page's lesson on the data on screen (its narration only
    states the mechanism): on the scene's data BCE finds 6 of 25 positives, weighted BCE 19
    (tests/lessons/claims/test_scenes_binary.py, counted with sklearn's confusion_matrix)."""
    number = next(n for n in NUMBERS if scenes.SCENES[n - 1].title == "Weighted BCE and focal loss")
    at = _open(number)
    said = [element.value for element in list(at.success) + list(at.warning)]
    assert said and "6 of 25" in said[0] and "19" in said[0]


def test_the_placed_outliers_scene_moves_the_mse_line_visibly_as_its_narration_says():
    """Scene 6 opens with its ★s already moving least squares: at the right end of the drawn
    lines (the data's largest x) the MSE line sits at least 10% of the data's y range away
    from the MAE and the Huber lines (fitted here by losses.fit.fit_regression on the data the
    page drew), and each claim of the narration holds on those numbers."""
    number = next(n for n in NUMBERS if scenes.SCENES[n - 1].title.startswith("An outlier"))
    scene = scenes.SCENES[number - 1]
    at = _open(number)
    assert _problems(at) == []
    args = at.session_state[scenes.DATA]["views/regression.py"]
    frame = cache.regression_data(**args)
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    lines = {loss: fit.fit_regression(frame, loss).params for loss in ("mse", "mae", "huber")}

    def height(loss: str, at_x: float) -> float:
        return lines[loss]["intercept"] + lines[loss]["slope"] * at_x

    def truth(at_x: float) -> float:
        return frame.attrs["true_intercept"] + frame.attrs["true_slope"] * at_x

    right, y_range = x.max(), y.max() - y.min()
    for robust in ("mae", "huber"):
        assert height(robust, right) - height("mse", right) >= 0.1 * y_range  # "drag … down"
    # "Two ★s … among 20 points": the scene's own settings, as the page drew them.
    stars = args["added"]
    assert scene.narration.startswith("Two ★s") and len(stars) == 2
    assert "among 20 points" in scene.narration and args["n"] == 20
    # "far below the line": each ★ at least 10 noise deviations under the true line.
    assert all(star_y - truth(star_x) < -10 * args["noise"] for star_x, star_y in stars)
    # "the Huber line stays by the true line": within one noise deviation at both ends.
    assert "the Huber line stays by the true line" in scene.narration
    for end in (x.min(), right):
        assert abs(height("huber", end) - truth(end)) < args["noise"]


@pytest.mark.parametrize("rate", ["0.0315", "0.02"])
def test_the_descent_question_shows_nothing_of_the_run_before_its_answer(rate):
    """Before the answer no chart and no epoch scrubber: the scrubber's range ends where a
    diverging run stopped (epoch 18 at η = 0.0315, lessons.descent.judge) and would tell.
    The same page for a run that diverges and one that does not (η = 0.02 settles)."""
    number = next(
        n
        for n in NUMBERS
        if scenes.SCENES[n - 1].page is site.DESCENT and scenes.SCENES[n - 1].question
    )
    at = _open(number, gd_rate=rate)
    assert _problems(at) == []
    assert harness.live_charts(at) == [] and harness.scrubber_keys(at) == []
    at.button(key=f"scene_{number}_reveal").click().run()
    assert harness.scrubber_keys(at) == ["gd_epoch"]
    keys = [element.key for element in harness.live_charts(at)]
    assert keys == ["gd_landscape", "gd_data_chart"]
    # After the answer the data stay readable at the run's last epoch: the y axis is the
    # data's own range (the scene's data: 20% outliers, losses.data.make_regression).
    last = harness.scrubber(at, "gd_epoch")["labels"][-1]
    data = harness.figures(harness.move_scrubber(at, "gd_epoch", last))[1]
    y = make_regression(200, outlier_fraction=scenes.OUTLIERS)["y"].to_numpy()
    low, high = data["layout"]["yaxis"]["range"]
    assert low <= y.min() and high >= y.max() and high - low <= 1.1 * np.ptp(y)


def test_only_a_scene_fits_its_charts_to_the_screen():
    """A scene's charts carry `fit` (ui/live_chart.js grows or shrinks them to the height the
    scene leaves); a whole page presented without a scene does not: fitting all of its
    sections into one screen squeezed each chart to its minimum height."""

    def fits(at) -> set:
        return {json.loads(e.proto.bytes).get("fit") for e in harness.live_charts(at)}

    assert fits(_open(2)) == {presentation.MIN_HEIGHT}
    whole = harness.open_page("views/numerics.py", query_params={"present": "1"})
    assert harness.live_charts(whole) and fits(whole) == {None}
