"""`msknet surveys …`: surveys from the command line."""

from __future__ import annotations

import click


@click.group()
def surveys_cli() -> None:
    """Surveys: responses and results."""
