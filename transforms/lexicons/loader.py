"""Load and validate the data files in ``transforms/lexicons/``.

Every loader checks each entry and fails with the file name, the line and what is
wrong: a bad pattern must stop a run at start-up, not corrupt its output.
"""
from __future__ import annotations

import csv
import json
import re
from importlib import resources
from pathlib import Path


class LexiconError(ValueError):
    """A lexicon file that does not follow its format."""


def lexicon_path(name: str) -> Path:
    """The path of a packaged lexicon file."""
    return Path(str(resources.files("newsevents.transforms.lexicons").joinpath(name)))


def read_jsonl(name_or_path, required: tuple[str, ...]) -> list[dict]:
    """Entries of a JSON Lines lexicon, each checked for its required keys."""
    path = Path(name_or_path) if "/" in str(name_or_path) else lexicon_path(name_or_path)
    entries = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as err:
                raise LexiconError(f"{path.name}:{lineno}: bad JSON: {err.msg}") from None
            missing = [key for key in required if key not in entry]
            if missing:
                raise LexiconError(f"{path.name}:{lineno}: missing {', '.join(missing)}")
            entry["_line"] = lineno
            entries.append(entry)
    return entries


def read_csv(name_or_path, required: tuple[str, ...]) -> list[dict]:
    """Rows of a CSV lexicon (with a header), each checked for its required columns."""
    path = Path(name_or_path) if "/" in str(name_or_path) else lexicon_path(name_or_path)
    with open(path, encoding="utf-8", newline="") as handle:
        # Comment lines are left out; errors still name the line as the file numbers it.
        kept = [(lineno, line) for lineno, line in enumerate(handle, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in kept)
    missing = [key for key in required if key not in (reader.fieldnames or [])]
    if missing:
        raise LexiconError(f"{path.name}: missing columns {', '.join(missing)}")
    rows = []
    for row in reader:
        lineno = kept[reader.line_num - 1][0]
        if any(not (row.get(key) or "").strip() for key in required[:1]):
            raise LexiconError(f"{path.name}:{lineno}: empty {required[0]}")
        rows.append({k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()})
    return rows


def load_boilerplate_patterns(name: str = "boilerplate.jsonl") -> list[re.Pattern]:
    """Compiled, case-insensitive line patterns of boilerplate."""
    patterns = []
    for entry in read_jsonl(name, ("id", "pattern")):
        try:
            patterns.append(re.compile(entry["pattern"], re.IGNORECASE))
        except re.error as err:
            raise LexiconError(f"{name}:{entry['_line']}: bad regex {entry['id']!r}: {err}") from None
    return patterns
