"""`msknet discussions …`: the email digests, run on a schedule."""

from __future__ import annotations

import click

FREQUENCIES = ("daily", "weekly")


@click.group()
def discussions_cli() -> None:
    """Discussions: email members a digest of their unread notifications."""


@discussions_cli.command("digest")
@click.option(
    "--frequency",
    type=click.Choice(FREQUENCIES),
    required=True,
    help="Send the digests of members who chose this frequency.",
)
def digest_command(frequency: str) -> None:
    """Email each member one digest of unread notifications since their last.

    Run the daily digest once a day and the weekly one once a week (from
    cron or a scheduler). Members who chose no digests, or have nothing new,
    get nothing; running it twice sends nothing twice.

    Example:

    \b
        msknet discussions digest --frequency daily
    """
    from msknet.cli import setup_django

    setup_django()
    from .digests import send_digests

    sent = send_digests(frequency=frequency)
    click.echo(f"Sent {sent} {frequency} digest{'s' if sent != 1 else ''}.")
