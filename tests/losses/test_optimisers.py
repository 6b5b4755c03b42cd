"""SGD, momentum and Adam against their published update rules, worked by hand on a
2-parameter quadratic, and against torch.optim in the torch step."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from losses.optimisers import KINDS, Optimiser, Settings

# The worked case: f(θ) = ½θᵀAθ with A = diag(1, 10), so ∇f(θ) = Aθ = (θ₁, 10θ₂);
# from θ₀ = (1, −2), η = 0.1.
CURVATURE = np.array([1.0, 10.0])
START = np.array([1.0, -2.0])


def two_steps(settings):
    """θ₂ after two steps on the worked quadratic, and the gradients it was given."""
    theta = START.copy()
    optimiser = Optimiser(settings, theta.size)
    given = []
    for _ in range(2):
        gradient = CURVATURE * theta
        given.append(gradient.copy())
        optimiser.step(theta, gradient)
        np.testing.assert_array_equal(gradient, given[-1])  # the gradient is left alone
    assert optimiser.steps == 2
    return theta


def test_sgd_by_hand():
    # hand-derived: θ₁ = θ₀ − η·Aθ₀ = (1 − 0.1, −2 + 0.1·20) = (0.9, 0);
    # θ₂ = (0.9 − 0.1·0.9, 0) = (0.81, 0)
    theta = two_steps(Settings(kind="sgd", learning_rate=0.1))
    np.testing.assert_allclose(theta, [0.81, 0.0], rtol=1e-15, atol=1e-16)


def test_momentum_by_hand_pytorch_rule():
    # torch.optim.SGD docs (momentum μ, dampening 0, not Nesterov): b₁ = g₁, then
    # b_t = μ·b_{t−1} + g_t, θ_t = θ_{t−1} − η·b_t. Hand-derived with μ = 0.9:
    #   g₁ = (1, −20)                 b₁ = (1, −20)         θ₁ = (1 − 0.1, −2 + 2) = (0.9, 0)
    #   g₂ = (0.9, 10·0) = (0.9, 0)   b₂ = 0.9·(1, −20) + (0.9, 0) = (1.8, −18)
    #   θ₂ = (0.9 − 0.18, 0 + 1.8) = (0.72, 1.8)
    theta = two_steps(Settings(kind="momentum", learning_rate=0.1, momentum=0.9))
    np.testing.assert_allclose(theta, [0.72, 1.8], rtol=1e-15)


def test_momentum_zero_is_sgd():
    # μ = 0: b_t = g_t, the plain SGD step (PyTorch docs, the same formula).
    plain = two_steps(Settings(kind="sgd", learning_rate=0.1))
    zero = two_steps(Settings(kind="momentum", learning_rate=0.1, momentum=0.0))
    np.testing.assert_array_equal(zero, plain)


# Kingma & Ba 2015, Algorithm 1 (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, η = 0.1), worked by hand
# (a calculator for the long decimals):
#   t = 1: g₁ = Aθ₀ = (1, −20)
#          m₁ = 0.1·g₁ = (0.1, −2)          v₁ = 0.001·g₁² = (0.001, 0.4)
#          m̂₁ = m₁/(1 − 0.9) = (1, −20)     v̂₁ = v₁/(1 − 0.999) = (1, 400)
#          θ₁ = θ₀ − 0.1·m̂₁/(√v̂₁ + ε) = (1 − 0.1/(1 + 1e-8), −2 + 2/(20 + 1e-8))
#             ≈ (0.900000001, −1.90000000005)        (a first step is η·sign(g), less ε)
#   t = 2: g₂ = Aθ₁ ≈ (0.900000001, −19.0000000005)
#          m₂ = 0.9·m₁ + 0.1·g₂ ≈ (0.1800000001, −3.70000000005)
#          v₂ = 0.999·v₁ + 0.001·g₂² ≈ (0.001809000002, 0.76060000002)
#          m̂₂ = m₂/(1 − 0.81) ≈ (0.94736842158, −19.47368421079)
#          v̂₂ = v₂/(1 − 0.998001) ≈ (0.90495247714, 380.49024513207)
#          √v̂₂ ≈ (0.95128990173, 19.50615915889)
#          θ₂ = θ₁ − 0.1·m̂₂/(√v̂₂ + ε) ≈ (0.80041222971, −1.80016648571)
ADAM_THETA_1 = [1 - 0.1 / (1 + 1e-8), -2 + 2 / (20 + 1e-8)]
ADAM_THETA_2 = [0.80041222971, -1.80016648571]


def test_adam_by_hand_kingma_ba_algorithm_1():
    settings = Settings(kind="adam", learning_rate=0.1)
    theta = START.copy()
    optimiser = Optimiser(settings, 2)
    optimiser.step(theta, CURVATURE * theta)
    np.testing.assert_allclose(theta, ADAM_THETA_1, rtol=1e-15)
    optimiser.step(theta, CURVATURE * theta)
    np.testing.assert_allclose(theta, ADAM_THETA_2, rtol=1e-10)  # 11 digits written above


def kingma_ba(gradient_of, theta, steps, eta, beta1=0.9, beta2=0.999, eps=1e-8):
    """Algorithm 1 of Kingma & Ba 2015, line for line (m̂ and v̂ written out)."""
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    path = []
    for t in range(1, steps + 1):
        g = gradient_of(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        theta = theta - eta * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta)
    return np.array(path)


def test_adam_follows_algorithm_1_over_many_steps():
    # PyTorch's arrangement of the same terms (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε) differs
    # from Algorithm 1 only in rounding.
    settings = Settings(kind="adam", learning_rate=0.05, beta1=0.8, beta2=0.99, eps=1e-6)
    expected = kingma_ba(lambda t: CURVATURE * t, START, 40, 0.05, 0.8, 0.99, 1e-6)
    theta = START.copy()
    optimiser = Optimiser(settings, 2)
    for step in range(40):
        optimiser.step(theta, CURVATURE * theta)
        np.testing.assert_allclose(theta, expected[step], rtol=1e-13, atol=1e-15)


def test_optimisers_keep_their_own_state():
    # Two optimisers over the same sizes do not share moments (a page trains loss A and
    # loss B side by side).
    settings = Settings(kind="adam", learning_rate=0.1)
    first, second = Optimiser(settings, 2), Optimiser(settings, 2)
    a, b = START.copy(), START.copy()
    first.step(a, CURVATURE * a)
    first.step(a, CURVATURE * a)
    second.step(b, CURVATURE * b)
    second.step(b, CURVATURE * b)
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- bad settings


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "rmsprop"}, "the optimiser must be one of sgd, momentum, adam; got 'rmsprop'."),
        ({"learning_rate": 0.0}, "the learning rate η must be positive; got 0.0."),
        ({"learning_rate": -0.1}, "the learning rate η must be positive; got -0.1."),
        ({"learning_rate": math.nan}, "the learning rate η must be positive; got nan."),
        ({"learning_rate": math.inf}, "the learning rate η must be positive; got inf."),
        ({"momentum": 1.0}, "the momentum μ must be in [0, 1); got 1.0."),
        ({"momentum": -0.1}, "the momentum μ must be in [0, 1); got -0.1."),
    ],
)
def test_bad_settings_say_what_is_allowed(arguments, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Settings(**arguments)


def test_defaults_are_pytorchs():
    # torch.optim.Adam's documented defaults: betas (0.9, 0.999), eps 1e-8.
    settings = Settings()
    assert (settings.beta1, settings.beta2, settings.eps) == (0.9, 0.999, 1e-8)
    assert KINDS == ("sgd", "momentum", "adam")


# ---------------------------------------------------------------- PyTorch

# A curved, non-separable cost in 5 parameters: f(θ) = ½θᵀQθ + Σ sin(θ), Q SPD.
_RNG = np.random.default_rng(0)
_BASIS = _RNG.normal(size=(5, 5))
Q = _BASIS @ _BASIS.T / 5 + np.eye(5)
TORCH_START = _RNG.normal(size=5)


def curved_gradient(theta):
    return Q @ theta + np.cos(theta)


@pytest.mark.parametrize(
    ("settings", "torch_kind", "torch_arguments"),
    [
        (Settings(kind="sgd", learning_rate=0.1), "SGD", {"lr": 0.1}),
        (
            Settings(kind="momentum", learning_rate=0.05, momentum=0.9),
            "SGD",
            {"lr": 0.05, "momentum": 0.9},
        ),
        (Settings(kind="adam", learning_rate=0.1), "Adam", {"lr": 0.1}),
        (
            Settings(kind="adam", learning_rate=0.02, beta1=0.5, beta2=0.9, eps=1e-4),
            "Adam",
            {"lr": 0.02, "betas": (0.5, 0.9), "eps": 1e-4},
        ),
    ],
    ids=["sgd", "momentum", "adam", "adam_other_betas"],
)
def test_steps_match_torch_optim(torch, settings, torch_kind, torch_arguments):
    parameter = torch.nn.Parameter(torch.tensor(TORCH_START, dtype=torch.float64))
    reference = getattr(torch.optim, torch_kind)([parameter], **torch_arguments)
    theta = TORCH_START.copy()
    optimiser = Optimiser(settings, theta.size)
    for _ in range(20):
        # torch is given the gradient at its own parameters, so the two paths are independent.
        parameter.grad = torch.from_numpy(curved_gradient(parameter.detach().numpy().copy()))
        reference.step()
        optimiser.step(theta, curved_gradient(theta))
        np.testing.assert_allclose(theta, parameter.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert not np.allclose(theta, TORCH_START, atol=1e-2)  # it went somewhere
