"""The binary page's scene "Weighted BCE and focal loss" (ui.scenes) against its data.

Its narration states the mechanism only (a presenter's link or the settings can change the
data, and with them who finds more); the comparison is the page's computed lesson
(lessons.imbalance.recall_lesson), which the scene shows. The scene's own data are checked
here to make the point the scene is for: weighted BCE finds far more of the rare class than
plain BCE, focal loss without α about as many.
"""

from __future__ import annotations

from sklearn.metrics import confusion_matrix

import losses
from losses import data, fit
from ui import scenes

# The page's data defaults (ui.controls.binary_data_controls, the sidebar's sliders) and the
# scene's keys for them.
PAGE_DATA = {"n": 500, "positive_fraction": 0.1, "separation": 2.0, "label_noise": 0.0, "seed": 0}
DATA_KEYS = {
    "bin_data_n": "n",
    "bin_data_positive": "positive_fraction",
    "bin_data_separation": "separation",
    "bin_data_label_noise": "label_noise",
    "bin_data_seed": "seed",
}
SCENE = next(scene for scene in scenes.SCENES if scene.title == "Weighted BCE and focal loss")
# "Far more", as the page's recall lesson counts a loss that finds more (lessons.imbalance:
# recall at least 20 percentage points above BCE's); "about as many": within 2 positives or
# a tenth of them, whichever is more.
FAR_MORE, ABOUT = 0.2, (2, 0.1)


def scene_data(**changes) -> dict:
    args = dict(PAGE_DATA)
    args.update(
        {DATA_KEYS[key]: value for key, value in SCENE.settings.items() if key in DATA_KEYS}
    )
    return args | changes


def positives_found(frame, loss_id: str, **params) -> int:
    """Positives the fitted line puts on the positive side (s > 0, i.e. p > 0.5), counted by
    sklearn.metrics.confusion_matrix on predictions made here by hand."""
    line = fit.fit_binary(frame, loss_id, **params).params
    score = line["intercept"] + line["w1"] * frame["x1"] + line["w2"] * frame["x2"]
    (_, _), (_, found) = confusion_matrix(frame["label"], (score > 0).astype(int), labels=[0, 1])
    return int(found)


def check_narration(args: dict) -> tuple[int, int, int]:
    frame = data.make_binary(**args)
    n_positive, n_negative = frame.attrs["n_positive"], frame.attrs["n_negative"]
    # The page's focal settings: the registry's defaults unless the scene sets them.
    focal = {
        spec.name: SCENE.settings.get(f"bin_focal_{spec.name}", spec.default)
        for spec in losses.get("focal").params
        if spec.name in ("gamma", "alpha")
    }
    assert focal["alpha"] is None  # "without α"
    plain = positives_found(frame, "bce")
    weighted = positives_found(frame, "bce", pos_weight=n_negative / n_positive)  # auto w
    focused = positives_found(frame, "focal", **focal)
    assert weighted >= plain + FAR_MORE * n_positive, (plain, weighted)
    assert abs(focused - plain) <= max(ABOUT[0], ABOUT[1] * n_positive), (plain, focused)
    return plain, weighted, focused


def test_the_narration_compares_nothing_and_the_scene_shows_the_computed_lesson():
    assert not any(word in SCENE.narration for word in ("far more", "as many", "fewer"))
    assert "lesson" in SCENE.sections


def test_the_narration_is_true_on_the_scene_s_data():
    # The scene's data: 5% of 500 = 25 positives (hand-derived). Counted by sklearn's
    # confusion_matrix on the core's fits: BCE finds 6, weighted BCE (w = 475/25 = 19) 19,
    # focal (γ = 2, no α) 6, the figures of issue 25.
    assert check_narration(scene_data()) == (6, 19, 6)
