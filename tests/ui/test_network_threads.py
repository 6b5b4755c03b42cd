"""The network page trains under one OpenBLAS thread (`ui.network_cache._one_blas_thread`):
the numbers must be those of the library's own thread count, bit for bit.

Expected values: the same training run outside the limit, in the same process. At 3,750
training points (the page's largest n, 5,000, less its validation quarter) the backward
pass's products are above OpenBLAS's threshold for using its threads.
"""

import numpy as np
import threadpoolctl

from losses import get
from losses.network import Architecture, initial_weights
from losses.optimisers import Settings
from losses.training import head, targets, train
from ui import network_cache


def _training():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3_750, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    architecture = Architecture(2, (16, 16), 1)
    run_head = head(get("bce"), {})
    return train(
        architecture,
        initial_weights(architecture, 0),
        run_head,
        x,
        targets(run_head, y),
        settings=Settings(),
        epochs=20,
        keep=3,
    )


def test_one_blas_thread_gives_the_same_training():
    free = _training()
    with network_cache._one_blas_thread():
        assert set(_blas_threads()) == {1}
        limited = _training()
    assert limited.snapshots.tobytes() == free.snapshots.tobytes()
    assert limited.train_cost.tobytes() == free.train_cost.tobytes()


def _blas_threads() -> list[int]:
    return [
        pool["num_threads"]
        for pool in threadpoolctl.threadpool_info()
        if pool["user_api"] == "blas"
    ]


def test_the_limit_is_lifted_when_the_last_training_ends():
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):  # a known count
        before = _blas_threads()
        with network_cache._one_blas_thread():
            with network_cache._one_blas_thread():
                pass
            assert set(_blas_threads()) == {1}  # another session still trains
        assert _blas_threads() == before
