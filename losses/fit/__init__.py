"""Fit a line, a logistic model or a softmax model to generated data under any loss.

Every fit returns a `FitResult`: the fitted parameters, the cost at each
iteration (for training curves), the parameter path (for animation) and each
point's effective weight in the final fit. The methods, each chosen to really
reach the minimum, are described in `losses.fit.line` (regression: exact least
squares, exact pivot descent for MAE/quantile, Newton/IRLS otherwise) and
`losses.fit.classifier` (BFGS, continuation for the hinge, Newton for softmax).
"""

from losses.fit.classifier import DEFAULT_L2, fit_binary, fit_multiclass
from losses.fit.line import fit_line, fit_regression
from losses.fit.result import FitResult

__all__ = ["DEFAULT_L2", "FitResult", "fit_binary", "fit_line", "fit_multiclass", "fit_regression"]
