"""The live scrubber's Python half: what it sends for the numbers under it."""

from __future__ import annotations

import pytest

from ui import scrubber


def test_a_scrubbers_readouts_travel_as_names_once_and_texts_per_step():
    # Hand-written readouts for a scrubber of two steps.
    readouts = [
        (("count", "1 of 3"), ("slope", "2.0000")),
        (("count", "3 of 3"), ("slope", "2.5000")),
    ]
    assert scrubber._readout(readouts, 2) == {
        "names": ["count", "slope"],
        "values": [["1 of 3", "2.0000"], ["3 of 3", "2.5000"]],
    }
    assert scrubber._readout(None, 2) is None
    with pytest.raises(ValueError, match="2 steps needs 2 readouts"):
        scrubber._readout(readouts[:1], 2)
    with pytest.raises(ValueError, match="the same labels"):
        scrubber._readout([readouts[0], (("count", "3 of 3"), ("other", "1"))], 2)
