"""The parser's vocabulary tables (apps/ingest/rules/*.toml), read by a pure function here so
that the pages (apps/kb) can use the same words the parser used without importing the parser:
a record card marks the sentence holding its status trigger from statuses.toml."""

import functools
import tomllib
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "ingest" / "rules"


@functools.cache
def table(name: str) -> dict:
    with open(RULES / f"{name}.toml", "rb") as f:
        return tomllib.load(f)
