import datetime as dt
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"
UTC = dt.timezone.utc


@pytest.fixture(scope="session")
def gazetteer():
    from newsevents.transforms.extraction.gazetteer import Gazetteer

    return Gazetteer.build()


@pytest.fixture(scope="session")
def resources(gazetteer):
    """The real extraction resources: statistical model, lexicons, gazetteer."""
    from newsevents.transforms.extraction.resources import build_resources

    return build_resources(gazetteer=gazetteer)


@pytest.fixture
def local_runner():
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    return FnApiRunner()


def pytest_collection_modifyitems(config, items):
    # The seeds live beside the project (../shared); CI always has them.
    if not SEEDS.is_dir() and os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs the seed articles at {SEEDS}")
