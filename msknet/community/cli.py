"""`msknet events …`: jobs for events run from the command line or a scheduler."""

from __future__ import annotations

import click


@click.group()
def events_cli() -> None:
    """Events: reminders to registrants."""


@events_cli.command("remind")
def remind_command() -> None:
    """Email everyone with a place at an event starting in the next 24 hours.

    Each person is reminded once per event, however often this runs: run it
    hourly from a scheduler (cron, a systemd timer).

    Example:

    \b
        msknet events remind
    """
    from msknet.cli import setup_django

    setup_django()
    from .actions.events import send_reminders

    sent = send_reminders()
    click.echo(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
