"""The parser's vocabulary, as data: one TOML file per table (projects, initiatives,
organizations, statuses, words, dates, places). Adding a suffix or a trigger is a one-line
change to a file here; every entry with an ``example`` is run by tests/ingest/test_rules.py."""

from pathlib import Path

from apps.core.rules import table

HERE = Path(__file__).parent
__all__ = ["HERE", "table", "words"]


def words(text: str) -> list[str]:
    """A whitespace-separated word list (the long lists are written that way)."""
    return text.split()
