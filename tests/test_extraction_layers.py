"""The extraction package is pure code in layers: no Beam, and imports that run one way."""
import ast

import pytest

from conftest import ROOT

EXTRACTION = ROOT / "transforms" / "extraction"
PACKAGE = "newsevents.transforms.extraction."
MODULES = sorted(path.stem for path in EXTRACTION.glob("*.py") if path.stem != "__init__")
# Each module of the event rules, and the rule modules it may import (not the ones above it).
RULE_LAYERS = [
    ("syntax", set()),
    ("context", set()),
    ("magnitude_phrases", {"syntax"}),
    ("actors", {"syntax", "context"}),
    ("places", {"syntax", "context"}),
    ("modality", {"syntax", "context", "actors"}),
    ("triggers", {"syntax", "context", "modality"}),
    ("coreference", {"syntax", "context", "actors", "triggers"}),
    ("frames", {"syntax", "context", "magnitude_phrases", "actors", "places", "modality", "triggers"}),
    ("article", {"syntax", "context", "actors", "places", "magnitude_phrases", "triggers", "coreference", "frames"}),
]
RULE_MODULES = {name for name, _ in RULE_LAYERS}


def imports_of(module: str) -> set[str]:
    tree = ast.parse((EXTRACTION / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module", MODULES)
def test_no_beam_in_extraction(module):
    assert not [name for name in imports_of(module) if name.split(".")[0] == "apache_beam"]


@pytest.mark.parametrize("module, allowed", RULE_LAYERS, ids=[name for name, _ in RULE_LAYERS])
def test_rule_modules_import_only_the_layers_below(module, allowed):
    rules = {name[len(PACKAGE):] for name in imports_of(module) if name.startswith(PACKAGE)} & RULE_MODULES
    assert rules <= allowed, f"{module} imports {sorted(rules - allowed)}"


def test_every_rule_module_has_a_layer_and_a_docstring():
    assert RULE_MODULES <= set(MODULES)
    assert not (EXTRACTION / "event_frames.py").exists()
    for module in MODULES:
        tree = ast.parse((EXTRACTION / f"{module}.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{module}.py has no docstring"


def test_the_driver_does_not_import_the_model_or_the_rules():
    """Building and committing a pipeline needs neither spaCy nor the rules nor
    datasketch: the workers import them (``extract_events.LoadedExtraction``), and a
    driver that loaded them would add their 0.75 s to every run's serial start."""
    import subprocess
    import sys

    code = ("import sys, newsevents.pipelines.batch, newsevents.pipelines.cli, newsevents.pipelines.reprocess; "
            "print(sorted(m for m in ('spacy', 'thinc', 'datasketch', 'scipy', "
            "'newsevents.transforms.extraction.article') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
