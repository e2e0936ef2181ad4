"""`msknet notifications …`: the email digests, at once from the command line."""

from __future__ import annotations

import click

FREQUENCIES = ("daily", "weekly")


@click.group()
def notifications_cli() -> None:
    """Notifications: email people a digest of what is new."""


@notifications_cli.command("digest")
@click.option(
    "--frequency",
    type=click.Choice(FREQUENCIES),
    required=True,
    help="Send the digests of the kinds people get at this frequency.",
)
def digest_command(frequency: str) -> None:
    """Email each person one digest of their unread notifications not yet emailed.

    The worker sends the daily digest at 07:00 and the weekly one on Mondays
    at 07:00; this sends them at once. People with nothing new get nothing,
    and running it twice sends nothing twice.

    Example:

    \b
        msknet notifications digest --frequency daily
    """
    from msknet.cli import setup_django

    setup_django()
    from .digests import send_digests

    sent = send_digests(frequency=frequency)
    click.echo(f"Sent {sent} {frequency} digest{'s' if sent != 1 else ''}.")
