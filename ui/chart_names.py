"""The file name of each chart's PNG (the mode bar's camera): what the chart shows, by
page and chart, for the chart's key."""

from __future__ import annotations

IMAGE_NAMES = {
    "cost_chart": "loss-vs-cost_per-sample-losses",
    "reg_curve_chart": "regression_loss-and-gradient",
    "reg_fit_chart": "regression_data-and-fitted-lines",
    "reg_weight_chart": "regression_weight-of-each-point",
    "reg_cost_chart": "regression_cost-per-iteration",
    "reg_y_scale_chart": "regression_scale-of-y",
    "hub_curve_chart": "huber-lab_huber-beside-half-r2-and-delta-r",
    "hub_zone_chart": "huber-lab_zones",
    "hub_sweep_chart": "huber-lab_line-as-delta-sweeps",
    "gd_landscape": "gradient-descent_cost-landscape",
    "gd_data_chart": "gradient-descent_data-and-line",
    "gd_cost_chart": "gradient-descent_cost-per-epoch",
    "bin_curve_1": "binary_loss-and-gradient_y1",
    "bin_curve_0": "binary_loss-and-gradient_y0",
    "bin_boundary": "binary_decision-boundary",
    "bin_confusion": "binary_confusion-matrices",
    "bin_focal_factor": "binary_focal-factor",
    "mc_memory_chart": "multiclass_label-memory",
    "mc_sample_chart": "multiclass_one-sample-softmax",
    "mc_regions_chart": "multiclass_decision-regions",
    "mc_two_hot_chart": "multiclass_one-true-class-per-sample",
    "cmp_chart": "compare-losses",
}


def image_name(key: str) -> str:
    """The PNG's file name (without .png) for the chart ``key``: what the chart shows."""
    return "loss-explorer_" + IMAGE_NAMES.get(key, key.replace("_", "-"))
