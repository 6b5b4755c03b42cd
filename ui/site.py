"""The app's pages, one declaration each: what the frame, the tour, the charts and the tests
know about a page, in one place.

A page's conventions, written down:

- **Its view**: `views/<name>.py`, a thin script that reads the widgets, calls `lessons` and
  `losses`, builds figures with `ui` and shows them. Its code lives below it: the figures in
  `ui/<name>_charts.py`, the cached model in `ui/<name>_cache.py`, the numbers and sentences in
  `lessons/`, the charts' alt text in `lessons/alt_text.py`.
- **Its key prefix**: every widget key of the page starts with ``prefix`` (and every URL
  parameter with it, since a bound widget's parameter is its key). A scene resets the page by
  deleting the session's keys with that prefix (`ui.scenes.apply`); a key outside it would keep
  a student's value into a scene that means to fix it. Only the frame's own widgets
  (``present_…``, ``scene_…``) are shared by every page.
- **Its charts**: each live chart's key (with the page's prefix) → the name its PNG is saved
  under from the mode bar's camera (`image_name`: ``loss-explorer_<name>.png``).
- **Its sections**: the parts of the page presentation mode may hide, each with whether it is
  shown on a projector when no scene chooses (`ui.presentation.shows`). A scene names the
  sections it shows from this list; a section the view asks about must be declared here.
- **Its scene hooks**: what the page records for the tour's questions (`ui.scenes.record_data`:
  the data arguments it drew, ``"data"``; `ui.scenes.record_outcome`: what its run did,
  ``"outcome"``).

`app.py` builds its navigation from `PAGES`, in order (the one with ``default=True`` opens at
the root URL); the tests parametrise over `PAGES`.

A new page is its view file, its code below it, and one `PageRecord` added to `PAGES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The frame's widgets (`ui.scenes`, `ui.presentation`): the same on every page, outside every
# page's prefix.
FRAME_PREFIXES = ("present_", "scene_")
SCENE_HOOKS = ("data", "outcome")


@dataclass(frozen=True, eq=False)
class PageRecord:
    """One page of the app.

    ``view``: the script, relative to app.py. ``title``, ``icon``: its navigation entry.
    ``url_path``: the page's name in the URL (``/regression``); the default page opens at the
    root URL (``/``) instead. ``prefix``: the start of every widget key. ``charts``: live chart
    key → image name. ``sections``: section → shown while presenting without a scene.
    ``scene_hooks``: what it records for the tour (a subset of `SCENE_HOOKS`).
    """

    view: str
    title: str
    icon: str
    url_path: str
    prefix: str
    charts: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, bool] = field(default_factory=dict)
    scene_hooks: tuple[str, ...] = ()
    default: bool = False

    @property
    def link(self) -> str:
        """The page's URL path: ``/`` for the default page, else ``/<url_path>``."""
        return "/" if self.default else f"/{self.url_path}"

    def presented(self, section: str) -> bool:
        """Whether ``section`` is shown while presenting without a scene."""
        try:
            return self.sections[section]
        except KeyError:
            raise KeyError(
                f"{self.view} asks about the section {section!r}, which its PageRecord in "
                f"ui/site.py does not declare (it declares {', '.join(self.sections)})"
            ) from None

    def __repr__(self) -> str:
        return f"PageRecord({self.view!r})"


LOSS_VS_COST = PageRecord(
    view="views/loss_vs_cost.py",
    title="Loss vs cost",
    icon=":material/functions:",
    url_path="loss_vs_cost",
    prefix="cost_",
    charts={"cost_chart": "loss-vs-cost_per-sample-losses"},
    sections={"intro": False, "reproduce": False},
    default=True,
)
REGRESSION = PageRecord(
    view="views/regression.py",
    title="Regression & outliers",
    icon=":material/scatter_plot:",
    url_path="regression",
    prefix="reg_",
    charts={
        "reg_curve_chart": "regression_loss-and-gradient",
        "reg_fit_chart": "regression_data-and-fitted-lines",
        "reg_weight_chart": "regression_weight-of-each-point",
        "reg_cost_chart": "regression_cost-per-iteration",
        "reg_estimates_chart": "reg-estimates-chart",
        "reg_y_scale_chart": "regression_scale-of-y",
    },
    sections={
        "intro": False,
        "explain": False,
        "curve": True,
        "fits": True,
        "effect": True,
        "weights": False,
        "cost": False,
        "table": False,
        "estimates": False,
        "y_scale": False,
    },
    scene_hooks=("data",),
)
HUBER = PageRecord(
    view="views/huber.py",
    title="Huber δ lab",
    icon=":material/tune:",
    url_path="huber",
    prefix="hub_",
    charts={
        "hub_curve_chart": "huber-lab_huber-beside-half-r2-and-delta-r",
        "hub_zone_chart": "huber-lab_zones",
        "hub_sweep_chart": "huber-lab_line-as-delta-sweeps",
    },
    sections={
        "intro": False,
        "metrics": True,
        "curve": True,
        "zones": True,
        "explain": False,
        "sweep": False,
        "reproduce": False,
    },
    scene_hooks=("data",),
)
DESCENT = PageRecord(
    view="views/gradient_descent.py",
    title="Gradient descent",
    icon=":material/trending_down:",
    url_path="gradient_descent",
    prefix="gd_",
    charts={
        "gd_landscape": "gradient-descent_cost-landscape",
        "gd_data_chart": "gradient-descent_data-and-line",
        "gd_cost_chart": "gradient-descent_cost-per-epoch",
    },
    sections={
        "intro": False,
        "landscape": True,
        "data": True,
        "outcome": True,
        "reproduce": False,
        "cost": False,
        "why": False,
    },
    scene_hooks=("data", "outcome"),
)
NETWORK = PageRecord(
    view="views/network.py",
    title="Train a network",
    icon=":material/hub:",
    url_path="network",
    prefix="net_",
    charts={
        "net_panel_a": "network_loss-a",
        "net_panel_b": "network_loss-b",
        "net_cost_chart": "network_cost-per-epoch",
        "net_reliability": "network_reliability",
    },
    sections={
        "intro": False,
        "panels": True,
        "outcome": True,
        "cost": True,
        "reliability": False,
        "reproduce": False,
    },
    scene_hooks=("data", "outcome"),
)
BINARY = PageRecord(
    view="views/binary.py",
    title="Binary & imbalance",
    icon=":material/balance:",
    url_path="binary",
    prefix="bin_",
    charts={
        "bin_curve_1": "binary_loss-and-gradient_y1",
        "bin_curve_0": "binary_loss-and-gradient_y0",
        "bin_boundary": "binary_decision-boundary",
        "bin_confusion": "binary_confusion-matrices",
        "bin_focal_factor": "binary_focal-factor",
    },
    sections={
        "intro": False,
        "explain": False,
        "curves": False,
        "boundary": True,
        "metrics": True,
        "download": False,
        "lesson": True,
        "focal": False,
        "reproduce": False,
    },
    scene_hooks=("data",),
)
MULTICLASS = PageRecord(
    view="views/multiclass.py",
    title="Multi-class: CCE vs sparse",
    icon=":material/category:",
    url_path="multiclass",
    prefix="mc_",
    charts={
        "mc_memory_chart": "multiclass_label-memory",
        "mc_sample_chart": "multiclass_one-sample-softmax",
        "mc_regions_chart": "multiclass_decision-regions",
        "mc_two_hot_chart": "multiclass_one-true-class-per-sample",
    },
    sections={
        "intro": False,
        "explain": False,
        "costs": True,
        "labels": True,
        "reproduce": False,
        "sample": False,
        "two_hot": False,
        "regions": False,
    },
    scene_hooks=("data",),
)
COMPARE = PageRecord(
    view="views/compare.py",
    title="Compare losses",
    icon=":material/compare_arrows:",
    url_path="compare",
    prefix="cmp_",
    charts={"cmp_chart": "compare-losses"},
)
NUMERICS = PageRecord(
    view="views/numerics.py",
    title="Why from_logits",
    icon=":material/calculate:",
    url_path="numerics",
    prefix="num_",
    charts={
        "num_loss_chart": "num-loss-chart",
        "num_grad_chart": "num-grad-chart",
        "num_clip_loss_chart": "num-clip-loss-chart",
        "num_clip_grad_chart": "num-clip-grad-chart",
    },
    sections={
        "intro": False,
        "loss": True,
        "gradient": True,
        "table": False,
        "clip loss": True,
        "clip gradient": True,
    },
)

# The navigation, in order.
PAGES: tuple[PageRecord, ...] = (
    LOSS_VS_COST,
    REGRESSION,
    HUBER,
    DESCENT,
    NETWORK,
    BINARY,
    MULTICLASS,
    COMPARE,
    NUMERICS,
)


def page(view: str) -> PageRecord:
    """The record of the page whose script is ``view`` (``"views/huber.py"``)."""
    for record in PAGES:
        if record.view == view:
            return record
    raise KeyError(f"no page in ui/site.py has the view {view!r}")


# Every page's live chart key → its image name (the keys are unique: each has its page's prefix).
CHART_NAMES: dict[str, str] = {key: name for record in PAGES for key, name in record.charts.items()}


def image_name(key: str) -> str:
    """The PNG's file name (without .png) for the chart ``key``: what the chart shows, as its
    page declares it."""
    return "loss-explorer_" + CHART_NAMES.get(key, key.replace("_", "-"))
