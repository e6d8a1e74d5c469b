"""The confidence fit of benchmarks/calibrate_confidence.py: which weights move."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from newsevents.transforms.extraction.confidence import FEATURES

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "calibrate_confidence.py"


@pytest.fixture(scope="module")
def calibrate():
    spec = importlib.util.spec_from_file_location("calibrate_confidence", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def examples():
    # 40 events: "past" separates right from wrong, "day" is noise.
    rng = np.random.default_rng(3)
    x = np.zeros((40, len(FEATURES)))
    x[:, FEATURES.index("bias")] = 1.0
    past = np.array([1.0] * 20 + [0.0] * 20)
    x[:, FEATURES.index("past")] = past
    x[:, FEATURES.index("day")] = rng.integers(0, 2, 40)
    y = np.array([1.0] * 17 + [0.0] * 3 + [1.0] * 4 + [0.0] * 16)
    return x, y


@pytest.mark.parametrize("only, moved, held", [
    (("bias", "past"), {"bias", "past"}, {"day", "toll", "not_asserted"}),
    (None, {"bias", "past", "day"}, {"not_asserted"}),  # all but the fixed not_asserted
])
def test_only_the_named_weights_are_fitted(calibrate, only, moved, held):
    x, y = examples()
    start = {name: 0.25 for name in FEATURES}
    start["not_asserted"] = -1.5
    weights = calibrate.fit(x, y, start, 1.0, only)
    assert all(weights[name] == start[name] for name in held)
    assert all(weights[name] != start[name] for name in moved)
    assert weights["past"] > 1.0  # the separating feature weighs most


def test_fitted_only_weights_rank_the_examples(calibrate):
    x, y = examples()
    start = {name: 0.0 for name in FEATURES}
    start["not_asserted"] = -1.5
    weights = calibrate.fit(x, y, start, 1.0, ("bias", "past"))
    assert calibrate.auc(x, y, weights) > 0.7
