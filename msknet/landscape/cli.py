"""`msknet landscape …`: the network's services from the command line."""

from __future__ import annotations

import click


@click.group()
def landscape_cli() -> None:
    """Landscape: the network's MSK services."""
