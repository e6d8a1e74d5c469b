"""The README's sample outputs and score tables, read back so that tests can hold them
to what the commands print."""
import re

from tests.conftest import ROOT

README = ROOT / "README.md"
FIELD_NAMES = {"event type": "event_type", "ACLED event type": "acled_event_type",
               "ACLED sub-event type": "acled_sub_event_type", "actor 1": "actor1",
               "actor 2": "actor2", "place (25 km)": "place", "event date": "event_date",
               "fatalities": "fatalities", "injured": "injured", "displaced": "displaced",
               "detained": "detained", "modality (not asserted)": "modality"}


def sample(name: str) -> list[str]:
    """The lines of the code block after ``<!-- sample: NAME ... -->``."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- sample: {re.escape(name)}\b[^>]*-->\n```\n(.*?)```", text, re.S)
    assert match, f"README has no sample {name!r}"
    return match.group(1).splitlines()


def score_rows(after: str) -> dict[str, tuple[str, str, str]]:
    """name -> (precision, recall, F1) of the first score table after a heading text."""
    text = README.read_text(encoding="utf-8")
    rest = text[text.index(after):]
    rows = {}
    for line in rest.splitlines()[1:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[0-9.]+", cells[1]):
            rows[cells[0]] = tuple(cells[1:])
        elif rows and not line.startswith("|"):
            break
    return rows


def cells(line: str) -> list[str]:
    """An aligned table line split into its cells (two or more spaces apart)."""
    return re.split(r"\s{2,}", line.strip())
