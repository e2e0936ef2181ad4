"""`msknet news …`: acting on a mail provider's bounce and complaint reports."""

from __future__ import annotations

import click

REASONS = ("hard-bounce", "complaint", "manual")


@click.group()
def news_cli() -> None:
    """News emails: addresses that must not be sent news."""


@news_cli.command("bounce")
@click.argument("email")
@click.option(
    "--reason",
    type=click.Choice(REASONS),
    default="hard-bounce",
    show_default=True,
    help="What the mail provider reported.",
)
def bounce_command(email: str, reason: str) -> None:
    """Send no more news emails to EMAIL, from any network.

    Use it for an address a mail provider reports as bouncing or as marking a
    news email as spam. Emails to it that are still queued are skipped. The
    network's leads see bounced emails counted on each item's page.

    Example:

    \b
        msknet news bounce someone@example.nhs.uk --reason complaint
    """
    from msknet.cli import setup_django

    setup_django()
    from .models import SuppressionReason
    from .news_actions import suppress_email

    _, created = suppress_email(
        email=email, reason=SuppressionReason(reason.replace("-", "_")),
        detail="Reported with msknet news bounce",
    )
    if created:
        click.echo(f"No more news will be emailed to {email.strip().lower()}.")
    else:
        click.echo(f"{email.strip().lower()} was already suppressed.")
