"""The registry: one `Loss` entry per loss, in teaching order.

Adding a loss means its kernels (`losses.regression`, …), one entry here and its reference
test: everything else the app knows about a loss (how a line is fitted under it, its best
constant, its colour, its short name, …) is on the entry or derived from it, so it then
appears in every page of its task and in every test parametrised over `REGISTRY`.
`registered` adds an entry for the length of a `with` block (a test's own loss).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from losses import binary, checks, location, multiclass, regression
from losses.snippets import barron as barron_snippets
from losses.snippets import binary as binary_snippets
from losses.snippets import brier as brier_snippets
from losses.snippets import focal as focal_snippets
from losses.snippets import gce as gce_snippets
from losses.snippets import multiclass as multiclass_snippets
from losses.snippets import regression as regression_snippets
from losses.spec import HUBER_NEWTON, LEAST_SQUARES, Loss, ParamSpec, pinball_fit

# ---------------------------------------------------------------- input preparation


def _regression_inputs(y_true, y_pred, **_params):
    return checks.regression_pair(y_true, y_pred)


def _probability_or_logit_inputs(y_true, y_pred, *, from_logits, **_params):
    return checks.binary_pair(y_true, y_pred, from_logits=from_logits, labels="soft")


def _hinge_inputs(y_true, y_pred, **_params):
    return checks.binary_pair(y_true, y_pred, from_logits=True, labels="hard")


def _class_row_inputs(y_true, y_pred, *, from_logits=False, **_params):
    y_true = checks.probability_rows(y_true)
    y_pred = checks.multiclass_predictions(
        y_pred, y_true.shape[0], y_true.shape[1], from_logits=from_logits
    )
    return y_true, y_pred


def _kl_inputs(y_true, y_pred, **_params):
    y_true = checks.probability_rows(y_true)
    # KL takes p as given (no normalisation), so each entry must be a probability ≤ 1.
    y_pred = checks.multiclass_predictions(
        y_pred, y_true.shape[0], y_true.shape[1], from_logits=False, at_most=1.0
    )
    return y_true, y_pred


def _sparse_inputs(y_true, y_pred, *, from_logits, **_params):
    # The labels stay (n,): the cce kernels make them one-hot block by block.
    return checks.sparse_pair(y_true, y_pred, from_logits=from_logits)


# ---------------------------------------------------------------- shared parameter specs


def _delta(help_text: str) -> ParamSpec:
    return ParamSpec(
        "delta",
        1.0,
        min=0.0,
        min_inclusive=False,
        help=help_text,
        ui_min=0.01,
        ui_max=100.0,
        log_scale=True,
        label="δ (delta)",
    )


# Barron's named cases (his Table 1 and fig. 1): each α is a loss of its own.
BARRON_NAMED = (
    (2.0, "L2"),
    (1.0, "pseudo-Huber / Charbonnier"),
    (0.0, "Cauchy"),
    (-2.0, "Geman–McClure"),
)

FROM_LOGITS = ParamSpec(
    "from_logits",
    False,
    kind="bool",
    label="inputs are logits",
    help="Off: y_pred are probabilities in [0, 1]. On: y_pred are raw scores (logits); "
    "the loss applies the sigmoid/softmax itself in a numerically stable way.",
)


def _label_smoothing(how: str) -> ParamSpec:
    return ParamSpec(
        "label_smoothing",
        0.0,
        min=0.0,
        max=1.0,
        ui_min=0.0,
        ui_max=0.5,
        label="label smoothing",
        help=f"Softens hard targets: {how}. Discourages over-confident predictions.",
    )


def _eps(clipped_to: str, what: str) -> ParamSpec:
    """The clip ε, with the interval its kernel clips to and what that does at the ends."""
    return ParamSpec(
        "eps",
        1e-7,
        min=0.0,
        max=0.5,
        min_inclusive=False,
        max_inclusive=False,
        ui_min=1e-12,
        ui_max=1e-2,
        log_scale=True,
        label="ε (clip)",
        help=f"Probabilities are clipped to {clipped_to} before the log, so {what} gives a "
        "large finite loss instead of infinity (Keras' default ε is 1e-7).",
    )


# What each kernel does (losses.binary.bce, losses.multiclass.cce and kl): bce and cce clip
# both ends, kl only the low end (like Keras' KLDivergence, which clips p to [ε, 1]).
BCE_EPS = _eps("[ε, 1 − ε]", "p = 0 for a positive or p = 1 for a negative")
CCE_EPS = _eps("[ε, 1 − ε] (after each row is divided by its sum)", "p = 0 for the true class")
KL_EPS = _eps("[ε, 1] (the rows are not divided by their sums)", "p = 0 where y > 0")


# Generalised cross-entropy's q (Zhang & Sabuncu 2018), the same for both tasks.
GCE_Q = ParamSpec(
    "q",
    0.7,
    min=0.0,
    max=1.0,
    min_inclusive=False,
    ui_min=0.05,
    ui_max=1.0,
    label="q (robustness)",
    help="q → 0 is cross-entropy: a confidently wrong point pulls hard. q = 1 is 1 − p_y, the "
    "absolute error on the probability: a wrong label cannot pull harder than a right one, "
    "but learning is slow. 0.7 is Zhang & Sabuncu's choice.",
)
GCE_CLIP_NOTE = (
    "Probabilities are clipped to [1e-7, 1 − 1e-7], where p^(q−1) would be infinite; where "
    "clipped the gradient is 0. At p_y = 0 the loss is about 1/q."
)

# ---------------------------------------------------------------- the losses

_ENTRIES = [
    Loss(
        id="mse",
        name="Mean squared error (MSE)",
        task="regression",
        latex=r"\ell(y, \hat y) = (\hat y - y)^2",
        params=(),
        summary="Squares each residual, so a miss twice as large costs four times as much.",
        advantages="Smooth everywhere with a simple gradient 2r; its minimiser is the mean, "
        "and a linear model has a closed-form fit (ordinary least squares).",
        disadvantages="One outlier with a huge residual dominates the sum and drags the fit "
        "towards itself: the gradient grows without bound.",
        use_when="Noise is roughly Gaussian and there are no gross outliers.",
        value_fn=regression.mse,
        grad_fn=regression.mse_grad,
        prepare=_regression_inputs,
        short_name="MSE",
        line_fit=LEAST_SQUARES,
        best_constant=location.mean,
        location_name="the mean",
        squared_error=True,
        snippet=regression_snippets.MSE,
    ),
    Loss(
        id="mae",
        name="Mean absolute error (MAE)",
        task="regression",
        latex=r"\ell(y, \hat y) = |\hat y - y|",
        params=(),
        summary="Charges each unit of miss the same, however far out the point is.",
        advantages="Robust to outliers: every point pulls with the same force (gradient ±1), "
        "so a far-away point cannot drag the fit. Its minimiser is the median.",
        disadvantages="Not differentiable at r = 0, and the constant gradient does not shrink "
        "near the optimum, which makes plain gradient descent oscillate.",
        use_when="The data have outliers you do not want to chase, or you want the median.",
        value_fn=regression.mae,
        grad_fn=regression.mae_grad,
        pieces=lambda params: regression.mae_pieces(),
        prepare=_regression_inputs,
        kink_note="At r = 0 the gradient is taken as 0 (the subgradient sign(0)).",
        short_name="MAE",
        line_fit=pinball_fit(lambda params: 0.5),
        best_constant=location.median,
        location_name="the median",
        snippet=regression_snippets.MAE,
    ),
    Loss(
        id="huber",
        name="Huber",
        task="regression",
        latex=r"\ell_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\"
        r" \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases}, \quad r = \hat y - y",
        params=(
            _delta(
                "Where the loss switches from quadratic to linear. Large δ behaves like "
                "½·MSE, tiny δ like δ·MAE."
            ),
        ),
        summary="Quadratic for small residuals, linear for large ones: MSE near the fit, "
        "MAE far from it.",
        advantages="Smooth near the optimum like MSE, yet an outlier's pull is capped at δ.",
        disadvantages="δ must be chosen on the scale of the noise; the second derivative "
        "jumps at |r| = δ.",
        use_when="Mostly Gaussian noise with a few outliers; a robust default for regression.",
        value_fn=regression.huber,
        grad_fn=regression.huber_grad,
        pieces=lambda params: regression.huber_pieces(params["delta"]),
        prepare=_regression_inputs,
        short_name="Huber",
        line_fit=HUBER_NEWTON,
        location_name="Huber's M-estimate of location",
        curve_marks=("delta",),
        snippet=regression_snippets.HUBER,
    ),
    Loss(
        id="pseudo_huber",
        name="Pseudo-Huber",
        task="regression",
        latex=r"\ell_\delta(r) = \delta^2\left(\sqrt{1 + (r/\delta)^2} - 1\right)",
        params=(_delta("Scale of the transition: quadratic for |r| ≪ δ, linear for |r| ≫ δ."),),
        summary="A smooth version of Huber: quadratic near zero, linear far out, with no corner.",
        advantages="Infinitely differentiable, so second-order optimisers work; outliers' "
        "pull is bounded by δ.",
        disadvantages="Like Huber it needs δ on the scale of the noise; it is never exactly "
        "quadratic or exactly linear.",
        use_when="You want Huber's robustness with a smooth second derivative.",
        value_fn=regression.pseudo_huber,
        grad_fn=regression.pseudo_huber_grad,
        prepare=_regression_inputs,
        short_name="pseudo-Huber",
        location_name="a smooth M-estimate of location",
        curve_marks=("delta",),
        snippet=regression_snippets.PSEUDO_HUBER,
    ),
    Loss(
        id="log_cosh",
        name="Log-cosh",
        task="regression",
        latex=r"\ell(r) = \log\cosh(r), \quad r = \hat y - y",
        params=(),
        summary="About ½r² for small residuals and |r| − log 2 for large ones.",
        advantages="Smooth everywhere with gradient tanh r, which saturates at ±1: robust "
        "like MAE, gentle like MSE, with no parameter to tune.",
        disadvantages="The transition is fixed at |r| ≈ 1, so the data's scale matters.",
        use_when="Residuals are of order 1 and you want a smooth robust loss without a δ.",
        value_fn=regression.log_cosh,
        grad_fn=regression.log_cosh_grad,
        prepare=_regression_inputs,
        short_name="log-cosh",
        location_name="an M-estimate of location",
        snippet=regression_snippets.LOG_COSH,
    ),
    Loss(
        id="quantile",
        name="Quantile (pinball)",
        task="regression",
        latex=r"\ell_\tau(y, \hat y) = \max\big(\tau d,\ (\tau - 1) d\big), \quad d = y - \hat y",
        params=(
            ParamSpec(
                "tau",
                0.5,
                min=0.0,
                max=1.0,
                min_inclusive=False,
                max_inclusive=False,
                ui_min=0.01,
                ui_max=0.99,
                label="τ (quantile)",
                help="Which quantile to predict: 0.5 is the median, 0.9 puts 90% of the "
                "points below the fit.",
            ),
        ),
        summary="Charges under-predictions τ per unit and over-predictions 1 − τ per unit.",
        advantages="Fits any quantile, not just the centre: prediction intervals, "
        "asymmetric costs. τ = 0.5 is half the MAE.",
        disadvantages="Not differentiable where d = 0; constant gradients, like MAE.",
        use_when="You need a quantile (e.g. an upper bound) rather than the mean.",
        value_fn=regression.quantile,
        grad_fn=regression.quantile_grad,
        pieces=lambda params: regression.quantile_pieces(params["tau"]),
        prepare=_regression_inputs,
        kink_note="At d = 0 the gradient is taken as 0, inside the subgradient [−τ, 1 − τ].",
        short_name="quantile",
        line_fit=pinball_fit(lambda params: params["tau"]),
        best_constant=location.tau_quantile,
        location_name="the τ-quantile",
        snippet=regression_snippets.QUANTILE,
    ),
    Loss(
        id="barron",
        name="Barron's general loss",
        task="regression",
        latex=r"\rho(r, \alpha, c) = \frac{|\alpha - 2|}{\alpha}\left(\left("
        r"\frac{(r/c)^2}{|\alpha - 2|} + 1\right)^{\alpha/2} - 1\right)",
        params=(
            ParamSpec(
                "alpha",
                1.0,
                min=-10.0,
                max=2.0,
                ui_min=-10.0,
                ui_max=2.0,
                label="α (shape)",
                help="How fast a far point's pull dies away. α = 2: it never does (least "
                "squares); α = 1: it levels off (pseudo-Huber); α < 1: it shrinks towards zero "
                "the farther the point, so outliers are ignored, but the cost is no longer "
                "convex and a fit can stop in a local minimum.",
                named=BARRON_NAMED,
            ),
            ParamSpec(
                "scale",
                1.0,
                min=0.0,
                min_inclusive=False,
                ui_min=0.01,
                ui_max=100.0,
                log_scale=True,
                label="c (scale)",
                help="The residual size where the quadratic bowl ends: a point well within c "
                "of the line pulls nearly like a least-squares point; at c its pull is "
                "already 29–39 % weaker for α ≤ 1 (and α = −∞).",
            ),
            ParamSpec(
                "alpha_minus_infinity",
                False,
                kind="bool",
                label="α = −∞ (Welsch)",
                help="The limit α → −∞, Welsch's loss 1 − exp(−½(r/c)²): the pull of a far "
                "point dies fastest. On, the α slider is not used.",
            ),
        ),
        summary="One family that holds L2, pseudo-Huber, Cauchy, Geman–McClure and Welsch: "
        "α sets how much a far point counts, c where 'far' begins.",
        advantages="One knob slides from least squares (α = 2) through pseudo-Huber (α = 1) "
        "to losses that ignore outliers outright (α ≤ 0); smooth everywhere, with an exact "
        "gradient (Barron, CVPR 2019).",
        disadvantages="For α < 1 the cost is non-convex: a fit can stop in a local minimum, "
        "so where it starts matters (the fits here start from the MAE line). c must be on "
        "the scale of the noise.",
        use_when="You want to choose, or learn, how robust the fit should be rather than "
        "pick one loss: the α < 1 cases for data with gross outliers.",
        value_fn=regression.barron,
        grad_fn=regression.barron_grad,
        prepare=_regression_inputs,
        # Convex in r exactly when α ≥ 1 (Barron 2019); α = −∞ (Welsch) is not.
        convex_fn=lambda params: not params["alpha_minus_infinity"] and params["alpha"] >= 1.0,
        short_name="Barron's loss",
        location_name="Barron's M-estimate (α = 2: the mean)",
        curve_marks=("scale",),
        snippet=barron_snippets.BARRON,
    ),
    Loss(
        id="bce",
        name="Binary cross-entropy (BCE)",
        task="binary",
        latex=r"\ell(y, p) = -\big[w\,y \log p + (1 - y)\log(1 - p)\big]",
        params=(
            FROM_LOGITS,
            ParamSpec(
                "pos_weight",
                1.0,
                min=0.0,
                min_inclusive=False,
                ui_min=0.1,
                ui_max=200.0,
                log_scale=True,
                label="w (positive weight)",
                help="Multiplies the loss of positive samples. n_neg / n_pos balances a rare "
                "positive class.",
            ),
            _label_smoothing("y becomes y(1 − ls) + ls/2"),
            BCE_EPS,
        ),
        summary="The negative log-probability the model gives to the true label.",
        advantages="The maximum-likelihood loss for a Bernoulli label; its gradient w.r.t. "
        "the logit is simply p − y. pos_weight re-balances rare positives.",
        disadvantages="Unbounded for confident mistakes; with rare positives an unweighted "
        "model can score well by predicting 'negative' for everything.",
        use_when="Any yes/no prediction with probabilities; set pos_weight for imbalance.",
        value_fn=binary.bce,
        grad_fn=binary.bce_grad,
        value_and_grad_fn=binary.bce_value_and_grad,
        prepare=_probability_or_logit_inputs,
        kink_note="Where p was clipped to [ε, 1 − ε] the loss is flat and the gradient is 0.",
        short_name="BCE",
        snippet=binary_snippets.BCE,
    ),
    Loss(
        id="focal",
        name="Focal loss",
        task="binary",
        latex=r"\ell(y, p) = -\alpha_t\,(1 - p_t)^\gamma \log p_t, \quad "
        r"p_t = \begin{cases} p & y = 1 \\ 1 - p & y = 0 \end{cases}",
        params=(
            ParamSpec(
                "gamma",
                2.0,
                min=0.0,
                ui_min=0.0,
                ui_max=5.0,
                label="γ (focus)",
                help="How strongly easy, well-classified samples are down-weighted; "
                "γ = 0 gives plain BCE.",
            ),
            ParamSpec(
                "alpha",
                None,
                kind="optional_float",
                min=0.0,
                max=1.0,
                ui_min=0.0,
                ui_max=1.0,
                label="α (class balance)",
                help="Weight of the positive class (1 − α for negatives); None means no "
                "class weighting.",
            ),
            FROM_LOGITS,
        ),
        summary="Cross-entropy scaled by (1 − p_t)^γ, so confident correct predictions "
        "contribute almost nothing.",
        advantages="Easy, well-classified points of either class count less, so a flood of "
        "easy negatives (as in dense object detection) no longer swamps the cost; α weights "
        "the classes (α for each positive, 1 − α for each negative).",
        disadvantages="Two knobs to tune. γ turns down easy points, not rare ones: without α "
        "a rare class gets no extra weight. For look-alike points of which a share q is "
        "positive, with γ > 0 and without α (or α = 0.5) its lowest cost is at a p between "
        "0.5 and q, so its probabilities are less confident than the data (Mukhoti et al. "
        "2020 use this against the over-confidence of deep networks, to improve "
        "calibration). With another α that p lies between 0.5 and the α-weighted share "
        "αq / (αq + (1 − α)(1 − q)) instead, so it can be past q or on the other side of 0.5.",
        use_when="Severe class imbalance with many easy negatives (e.g. object detection).",
        value_fn=binary.focal,
        grad_fn=binary.focal_grad,
        value_and_grad_fn=binary.focal_value_and_grad,
        prepare=_probability_or_logit_inputs,
        kink_note="Probabilities are clipped to [1e-7, 1 − 1e-7]; where clipped the gradient is 0.",
        short_name="Focal",
        snippet=focal_snippets.FOCAL,
    ),
    Loss(
        id="hinge",
        name="Hinge",
        task="binary",
        latex=r"\ell(y, s) = \max(0,\ 1 - t\,s), \quad t = 2y - 1 \in \{-1, +1\}",
        params=(),
        summary="Zero once a sample is on the right side with margin 1; linear penalty "
        "otherwise. y_pred is a raw score, not a probability.",
        advantages="Ignores points that are already classified with margin: only the points "
        "near or across the boundary (the support vectors) shape the fit, as in "
        "support-vector machines.",
        disadvantages="Gives scores, not probabilities; not differentiable at the margin. "
        "Not more robust than BCE to a confidently wrong point: both pull it with a "
        "gradient of size 1.",
        use_when="You want a margin classifier and do not need probabilities. The "
        "maximum-margin line (a support-vector machine) needs an L2 penalty on the weights "
        "as well: on separable data the hinge alone is 0 for every separating line once its "
        "weights are scaled up, widest margin or not.",
        value_fn=binary.hinge,
        grad_fn=binary.hinge_grad,
        prepare=_hinge_inputs,
        scores=True,
        kink_note="At t·s = 1 the gradient is taken as 0.",
        short_name="Hinge",
        classifier_fit="smoothed_hinge",
        snippet=binary_snippets.HINGE,
    ),
    Loss(
        id="brier",
        name="Brier score",
        task="binary",
        latex=r"\ell(y, p) = (p - y)^2",
        params=(FROM_LOGITS,),
        summary="The squared error of the predicted probability: (p − y)², from 0 for a "
        "perfect prediction to 1 for a confident mistake.",
        advantages="Bounded by 1, so one confidently wrong point cannot dominate the cost. "
        "A strictly proper scoring rule (Brier 1950): for soft labels its lowest cost is at "
        "p = y, so it rewards calibrated probabilities. TensorFlow Playground trains with "
        "this squared error (on its tanh output 2p − 1, up to a factor).",
        disadvantages="On logits its gradient 2(p − y)·p(1 − p) vanishes for a confident "
        "mistake (p near 0 for y = 1), where BCE's is about −1: a fit is slow to correct "
        "such a point. Not convex in the logit.",
        use_when="You want probabilities judged by their squared error, or a cost that no "
        "single confident mistake can blow up; also a standard score of probability "
        "forecasts.",
        value_fn=binary.brier,
        grad_fn=binary.brier_grad,
        value_and_grad_fn=binary.brier_value_and_grad,
        prepare=_probability_or_logit_inputs,
        short_name="Brier",
        snippet=brier_snippets.BRIER,
    ),
    Loss(
        id="gce",
        name="Generalised cross-entropy (GCE)",
        task="binary",
        latex=r"\ell_q(y, p) = y\,\frac{1 - p^q}{q} + (1 - y)\,\frac{1 - (1 - p)^q}{q}",
        params=(GCE_Q, FROM_LOGITS),
        summary="(1 − p_y^q)/q: cross-entropy as q → 0, the absolute error 1 − p_y on the "
        "probability at q = 1.",
        advantages="Bounded by 1/q, so a point the model confidently calls wrong (often a "
        "wrong label) stops pulling hard: on the logit its gradient is BCE's times p_y^q, "
        "small when p_y is small. Robust to noisy labels (Zhang & Sabuncu 2018), while a q "
        "below 1 keeps more of BCE's fast learning than q = 1 (1 − p_y, robust to symmetric "
        "label noise: Ghosh et al. 2017).",
        disadvantages="The same down-weighting slows learning of hard points that are "
        "correctly labelled; q must be chosen. Not convex in the logit. Not proper: for "
        "look-alike points of which a share y ≠ ½ is positive its lowest cost is at "
        "p/(1 − p) = (y/(1 − y))^(1/(1 − q)), further from ½ than y; at q = 1 at p = 0 or 1.",
        use_when="Labels are noisy (crowd-sourced, weakly labelled) and a network is "
        "trained by gradient descent; q = 0.7 as in the paper.",
        value_fn=binary.gce,
        grad_fn=binary.gce_grad,
        value_and_grad_fn=binary.gce_value_and_grad,
        prepare=_probability_or_logit_inputs,
        kink_note=GCE_CLIP_NOTE,
        short_name="GCE",
        snippet=gce_snippets.GCE,
    ),
    Loss(
        id="cce",
        name="Categorical cross-entropy (CCE)",
        task="multiclass",
        latex=r"\ell(\mathbf y, \mathbf p) = -\sum_{j=1}^{k} y_j \log p_j",
        params=(FROM_LOGITS, _label_smoothing("y becomes y(1 − ls) + ls/k"), CCE_EPS),
        summary="The negative log-probability of the true class, with one-hot (or soft) "
        "label rows of length k.",
        advantages="The maximum-likelihood loss for k classes; with logits its gradient is "
        "softmax(z) − y. Accepts soft labels (label smoothing, distillation).",
        disadvantages="One-hot labels cost n·k numbers of memory; unbounded for confident "
        "mistakes.",
        use_when="k-class problems with one-hot or soft labels.",
        value_fn=multiclass.cce,
        grad_fn=multiclass.cce_grad,
        prepare=_class_row_inputs,
        kink_note="Probability rows are normalised, then clipped to [ε, 1 − ε]; clipped "
        "entries get gradient 0 through the clip.",
        snippet=multiclass_snippets.CROSS_ENTROPY,
    ),
    Loss(
        id="sparse_cce",
        name="Sparse categorical cross-entropy",
        task="multiclass",
        latex=r"\ell(c, \mathbf p) = -\log p_c, \quad c \in \{0, \dots, k-1\}",
        params=(FROM_LOGITS, _label_smoothing("as CCE on the one-hot labels"), CCE_EPS),
        summary="Exactly CCE, but the label is the class index c instead of a one-hot row.",
        advantages="The same number as CCE with labels that take n integers instead of n·k floats.",
        disadvantages="Cannot express soft labels directly.",
        use_when="Hard labels with many classes, where one-hot rows waste memory.",
        value_fn=multiclass.cce,
        grad_fn=multiclass.cce_grad,
        prepare=_sparse_inputs,
        kink_note="As CCE.",
        label_form="index",
        snippet=multiclass_snippets.CROSS_ENTROPY,
    ),
    Loss(
        id="kl",
        name="Kullback–Leibler divergence",
        task="multiclass",
        latex=r"D_{\mathrm{KL}}(\mathbf y \,\|\, \mathbf p) = \sum_{j} y_j \log\frac{y_j}{p_j}",
        params=(KL_EPS,),
        summary="How many extra nats it costs to code samples from y using p; zero "
        "exactly when p = y.",
        advantages="Compares whole distributions (soft targets, distillation); equals CCE "
        "minus the entropy of y, which does not depend on p, so both have the same minimiser.",
        disadvantages="Asymmetric; infinite where p = 0 but y > 0 without clipping; only "
        "meaningful (≥ 0) when the rows of p sum to 1.",
        use_when="Targets are distributions rather than single classes.",
        value_fn=multiclass.kl,
        grad_fn=multiclass.kl_grad,
        prepare=_kl_inputs,
        kink_note="p is clipped to [ε, 1]; where p < ε the gradient is 0.",
        snippet=multiclass_snippets.KL,
    ),
    Loss(
        id="brier_multiclass",
        name="Brier score (multiclass)",
        task="multiclass",
        latex=r"\ell(\mathbf y, \mathbf p) = \sum_{j=1}^{k} (p_j - y_j)^2",
        params=(FROM_LOGITS,),
        summary="The squared distance between the predicted probability row and the label "
        "row: from 0 for a perfect prediction to 2 for a confident mistake.",
        advantages="Bounded by 2, so one confidently wrong point cannot dominate the cost. "
        "A strictly proper scoring rule (Brier 1950): for soft label rows its lowest cost is "
        "at p = y, so it rewards calibrated probabilities.",
        disadvantages="With logits its gradient vanishes for a confident mistake (p_y near "
        "0), where CCE's is about −1 on the true class: a fit is slow to correct such a "
        "point. Not convex in the logits.",
        use_when="You want probability rows judged by their squared error, or a cost that "
        "no single confident mistake can blow up.",
        value_fn=multiclass.brier_multiclass,
        grad_fn=multiclass.brier_multiclass_grad,
        prepare=_class_row_inputs,
        kink_note="Probability rows are divided by their sums first, as CCE does.",
        short_name="Brier",
        snippet=brier_snippets.BRIER,
    ),
    Loss(
        id="gce_multiclass",
        name="Generalised cross-entropy (GCE, multiclass)",
        task="multiclass",
        latex=r"\ell_q(\mathbf y, \mathbf p) = \sum_{j=1}^{k} y_j\,\frac{1 - p_j^q}{q}",
        params=(GCE_Q, FROM_LOGITS),
        summary="(1 − p_y^q)/q for the true class y: CCE as q → 0, the absolute error "
        "1 − p_y on the probability at q = 1.",
        advantages="Bounded by 1/q, so a point the model confidently calls wrong (often a "
        "wrong label) stops pulling hard: with logits its gradient is CCE's times p_y^q, "
        "−p_y^q (e_y − p), small when p_y is small. Robust to noisy labels (Zhang & Sabuncu "
        "2018), while a q below 1 keeps more of CCE's fast learning than q = 1 (1 − p_y, "
        "robust to symmetric label noise: Ghosh et al. 2017).",
        disadvantages="The same down-weighting slows learning of hard points that are "
        "correctly labelled; q must be chosen. Not convex in the logits. Not proper: for a "
        "soft label row y its lowest cost is at p_j ∝ y_j^(1/(1 − q)) (q < 1), sharper than "
        "y unless y's nonzero entries are equal.",
        use_when="Labels are noisy (crowd-sourced, weakly labelled) and a network is "
        "trained by gradient descent; q = 0.7 as in the paper.",
        value_fn=multiclass.gce_multiclass,
        grad_fn=multiclass.gce_multiclass_grad,
        prepare=_class_row_inputs,
        kink_note="Probability rows are divided by their sums, then clipped to [1e-7, "
        "1 − 1e-7], where p^(q−1) would be infinite; where clipped the gradient is 0. At "
        "p_y = 0 the loss is about 1/q.",
        short_name="GCE",
        snippet=gce_snippets.GCE,
    ),
]

REGISTRY: dict[str, Loss] = {loss.id: loss for loss in _ENTRIES}


def get(loss_id: str) -> Loss:
    """The registered loss with this id; an unknown id raises ValueError listing the valid ones."""
    try:
        return REGISTRY[loss_id]
    except (KeyError, TypeError):
        valid = ", ".join(REGISTRY)
        raise ValueError(f"unknown loss {loss_id!r}; valid ids are: {valid}.") from None


@contextlib.contextmanager
def registered(loss: Loss) -> Iterator[Loss]:
    """``loss`` in the registry, last of its task, inside the ``with`` block; removed after.

    For a test's own loss: every page and function that reads the registry sees it as one of
    its task's losses. An id already registered raises ValueError.
    """
    if loss.id in REGISTRY:
        raise ValueError(f"a loss with id {loss.id!r} is already registered.")
    REGISTRY[loss.id] = loss
    try:
        yield loss
    finally:
        del REGISTRY[loss.id]


def by_task(task: str) -> list[Loss]:
    """The registered losses of one task, in registry order."""
    return [loss for loss in REGISTRY.values() if loss.task == task]
