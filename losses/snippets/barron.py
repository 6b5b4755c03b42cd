"""The reproduce snippets of Barron's general robust loss (CVPR 2019, eq. 1).

No framework has it: each script writes the formula in its own ops (np, torch, keras.ops),
in the form the settings take (α = −∞, 2 and 0 by their limits, the general α otherwise).
"""

from __future__ import annotations

from losses.snippets import TENSORS, Snippet, assign


def barron_case(task) -> tuple[str, list[str]]:
    """Which form of Barron's loss the settings take, and the constants it needs: "welsch"
    (α = −∞), "l2" (α = 2), "cauchy" (α = 0) or "general", with scale (and b = |α − 2|)."""
    params = task.params
    lines = assign(task, "scale")
    if params["alpha_minus_infinity"]:
        return "welsch", lines
    if params["alpha"] == 2.0:
        return "l2", lines
    if params["alpha"] == 0.0:
        return "cauchy", lines
    return "general", lines + assign(task, "alpha") + [
        f"b = {abs(params['alpha'] - 2.0)!r}  # |α − 2|"
    ]


# Barron's loss in each form, as text over a namespace ``ns`` (np, torch or keras.ops) and
# u = r/c.
BARRON_FORMS = {
    "welsch": (
        "# α = −∞ (Welsch): 1 − exp(−½u²), as −expm1(−½u²) for small u.",
        "per_sample = -{ns}.expm1(-0.5 * u**2)",
    ),
    "l2": ("# α = 2 (L2): ½u².", "per_sample = 0.5 * u**2"),
    "cauchy": ("# α = 0 (Cauchy): log(½u² + 1).", "per_sample = {ns}.log1p(0.5 * u**2)"),
    "general": (
        "# |α−2|/α · ((u²/|α−2| + 1)^(α/2) − 1), as expm1(α/2 · log1p(u²/|α−2|)):",
        "# no difference of near-equal numbers, even with α near 0 or 2.",
        "per_sample = b / alpha * {ns}.expm1(0.5 * alpha * {ns}.log1p(u**2 / b))",
    ),
}


def barron_lines(task, ns: str) -> list[str]:
    form, constants = barron_case(task)
    return (
        constants
        + ["u = (y_pred - y_true) / scale"]
        + [line.format(ns=ns) for line in BARRON_FORMS[form]]
    )


def _numpy(task):
    return barron_lines(task, "np")


def _torch(task):
    return ["# torch has no Barron loss: his formula (CVPR 2019, eq. 1), in torch."] + (
        barron_lines(task, "torch")
    )


def _keras(task):
    lines = ["# Keras has no Barron loss: his formula (CVPR 2019, eq. 1), in keras.ops.", *TENSORS]
    return lines + barron_lines(task, "keras.ops")


BARRON = Snippet(numpy=_numpy, torch=_torch, keras=_keras)
