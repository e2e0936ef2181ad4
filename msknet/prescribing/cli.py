"""The site's own `msknet prescribing` commands: alerts.

The `prescribing` group is the engine's (Django-free); the site adds to it
`alerts`, and has `import` queue the alerts for the new month once the files
are in. Nothing here imports Django until a command runs.
"""

from __future__ import annotations

import re

import click

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def setup_django() -> None:
    from msknet.cli import setup_django as setup

    setup()


def month_option(_ctx: click.Context, _param: click.Parameter, value: str | None
                 ) -> str | None:
    if value is not None and not MONTH.match(value):
        raise click.BadParameter("give a month as YYYY-MM, like 2025-03")
    return value


@click.command("alerts")
@click.option("--month", default=None, callback=month_option,
              help="The data month, YYYY-MM [default: the latest in the store].")
def alerts_command(month: str | None) -> None:
    """Email prescribing alerts for a month of data, now.

    Each confirmed subscription whose organisation's percentile in a measure
    moved significantly in that month (a CUSUM; docs/methods/prescribing-
    alerts.md) gets one email. A subscription already checked for the month
    gets nothing twice. `msknet prescribing import` queues this by itself.

    Example:

    \b
        msknet prescribing alerts --month 2025-03
    """
    setup_django()
    from msknet.prescribing import alerting

    try:
        sent = alerting.send_alerts(month=month)
    except alerting.NoSuchMonth as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Sent {sent} prescribing alert{'' if sent == 1 else 's'}.")


def queue_alerts_after_import(result: object) -> object:
    """After `msknet prescribing import` on the site, queue the alerts for
    the latest month (the engine's own CLI, run alone, queues nothing)."""
    ctx = click.get_current_context()
    if ctx.invoked_subcommand != "import" or ctx.find_root() is ctx:
        return result
    try:
        setup_django()
        from msknet.core import tasks

        tasks.enqueue("msknet.prescribing.tasks.send_alerts",
                      name="Prescribing alerts after an import")
    except Exception as error:  # noqa: BLE001 - the import itself succeeded
        click.echo(f"Prescribing alerts were not queued ({error}); run "
                   "`msknet prescribing alerts` on the site.", err=True)
    else:
        click.echo("Prescribing alerts for the latest month are queued.", err=True)
    return result


def add_site_commands(group: click.Group) -> None:
    """Add `alerts` to the engine's `prescribing` group, and the alerts after
    an import (once, however often this is called)."""
    if "alerts" in group.commands:
        return
    group.add_command(alerts_command)
    group.result_callback()(queue_alerts_after_import)
