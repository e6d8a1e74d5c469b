"""The layers of the package: which modules may import what.

    pipelines/ -> transforms/ (stages) -> extraction/, core/, storage/, streaming/ -> schemas/

Pure code (extraction/, core/) and schemas/ never import Beam, so they are tested and
reused without it; nothing below pipelines/ imports pipelines/; schemas/ imports
nothing of the package but itself.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

FOLDERS = {"newsevents.pipelines": ROOT / "pipelines", "newsevents.transforms": ROOT / "transforms",
           "newsevents.schemas": ROOT / "schemas"}
PURE = ("newsevents.transforms.extraction", "newsevents.transforms.core", "newsevents.schemas")


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


def imported_names(path: Path) -> set[str]:
    """Every module an ``import`` or ``from ... import`` in the file names, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_package_installs_under_its_own_name_only():
    for name in modules():
        assert name.startswith("newsevents."), name
    for path in list(FOLDERS.values()) + [ROOT / "tests", ROOT / "benchmarks"]:
        for source in path.rglob("*.py"):
            for name in imported_names(source):
                top = name.split(".")[0]
                assert top not in ("pipelines", "transforms", "schemas"), f"{source}: import {name}"


@pytest.mark.parametrize("name, path", sorted(modules().items()))
def test_imports_flow_one_way(name, path):
    imported = {n for n in imported_names(path) if n.startswith("newsevents.")}
    if name.startswith("newsevents.schemas"):
        assert all(n.startswith("newsevents.schemas") for n in imported), imported
    if name.startswith("newsevents.transforms"):
        assert not any(n.startswith("newsevents.pipelines") for n in imported), imported
    if name.startswith(PURE):
        assert not any(n.split(".")[0] == "apache_beam" for n in imported_names(path)), name
        below = ("newsevents.transforms.extraction", "newsevents.transforms.core",
                 "newsevents.transforms.lexicons", "newsevents.transforms.defaults",
                 "newsevents.schemas")
        assert all(n.startswith(below) for n in imported), imported


def test_pure_modules_never_load_beam():
    """Not even through what they import: loaded in a fresh interpreter."""
    pure = sorted(n for n in modules() if n.startswith(PURE))
    code = ("import sys\n" + "".join(f"import {n}\n" for n in pure)
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'apache_beam')[:3])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd="/", check=True)
    assert result.stdout.strip() == "[]", result.stdout
