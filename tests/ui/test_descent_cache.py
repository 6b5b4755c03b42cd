"""The gradient-descent page's cached runs (`ui.descent_cache.descent_run`) against the core
(`losses.fit.descent.gradient_descent`, run here on the same data)."""

import dataclasses

import numpy as np

from losses.fit import descent
from ui import descent_cache
from ui.cache import key_of, regression_data

DATA = key_of({"n": 200, "seed": 3, "added": ()})  # the page's data arguments, as a cache key
# Batches of 10 from 200 points: 20 updates an epoch, so 1,000 epochs fill the 20,000-update
# cap (hand-derived); 2,000 and 3,000 are capped to them.
CAPPED = {"learning_rate": 0.02, "momentum": 0.5, "batch_size": 10, "seed": 1}


def test_requests_past_the_update_cap_share_one_run_and_each_is_the_core_run(monkeypatch):
    frame = regression_data(**dict(DATA))
    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    calls = []
    core = descent.gradient_descent
    monkeypatch.setattr(
        descent,
        "gradient_descent",
        lambda *args, **kw: calls.append(kw["epochs"]) or core(*args, **kw),
    )
    descent_cache._descent_run.clear()
    for epochs in (2000, 3000):
        settings = key_of(CAPPED | {"epochs": epochs})
        got = descent_cache.descent_run(DATA, "huber", (("delta", 1.0),), (0.0, 0.0), settings)
        expected = core(x, y, "huber", start=(0.0, 0.0), epochs=epochs, delta=1.0, **CAPPED)
        assert expected.stop == "update cap" and expected.epochs == 1000
        for field in dataclasses.fields(expected):
            np.testing.assert_array_equal(getattr(got, field.name), getattr(expected, field.name))
    assert calls == [1000], "one run of the epochs that fit serves both requests"
