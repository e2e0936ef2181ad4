"""SQL kept in ``.sql`` files beside the code, and how they are filled in.

Measure SQL takes DuckDB named parameters (``$name``) bound at execution.
The import SQL also has ``{slot}`` template slots for what parameters cannot
carry (a file's column names, the scan of a file); only :func:`quote_ident`
and :func:`quote_literal` output, or fixed fragments, go into them.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@cache
def read_sql(name: str, package: str = "msknet.analytics.prescribing.sql") -> str:
    """The text of a packaged SQL file."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def render(name: str, **slots: str) -> str:
    """A packaged SQL file with its ``{slot}`` template slots filled.

    Whole-line ``--`` comments are dropped first, so they may name slots.
    """
    text = "\n".join(
        line for line in read_sql(name).splitlines()
        if not line.lstrip().startswith("--")
    )

    def fill(match: re.Match[str]) -> str:
        key = match[1]
        if key not in slots:
            raise KeyError(f"{name}: no value for slot {{{key}}}")
        return slots[key]

    return _SLOT.sub(fill, text)


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal in single quotes."""
    return "'" + text.replace("'", "''") + "'"
