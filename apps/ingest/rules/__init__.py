"""The parser's vocabulary, as data: one TOML file per table (projects, initiatives,
organizations, statuses, words, dates, places). Adding a suffix or a trigger is a one-line
change to a file here; every entry with an ``example`` is run by tests/ingest/test_rules.py."""

import functools
import tomllib
from pathlib import Path

HERE = Path(__file__).parent


@functools.cache
def table(name: str) -> dict:
    with open(HERE / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def words(text: str) -> list[str]:
    """A whitespace-separated word list (the long lists are written that way)."""
    return text.split()
