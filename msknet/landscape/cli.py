"""`msknet landscape …`: the network's services from the command line."""

from __future__ import annotations

import click


@click.group()
def landscape_cli() -> None:
    """Landscape: the network's MSK services."""


@landscape_cli.command("import")
@click.option("--network", "network_slug", required=True,
              help="The network's slug, as in its web address.")
@click.option("--dry-run", is_flag=True,
              help="Check every row and say what would change; write nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_command(network_slug: str, dry_run: bool, file: str) -> None:
    """Add and update the network's services from a CSV file.

    The columns are those `msknet landscape export` writes (see
    docs/landscape-import.md). Every row is checked first: if any has a
    problem, each is listed by row and column, nothing is written and the
    command exits with status 1. A row with an id, or the same provider and
    name as a listed service, updates it; any other row adds a service.

    Examples:

    \b
        msknet landscape import --network london services.csv --dry-run
        msknet landscape import --network london services.csv
    """
    from msknet.cli import setup_django

    setup_django()
    from msknet.members.models import Network

    from .actions import imports

    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise click.UsageError(f"There is no network {network_slug!r}.")
    with open(file, "rb") as handle:
        data = handle.read(imports.service_csv.MAX_BYTES + 1)
    try:
        result = imports.import_bytes(network=network, data=data, by=None,
                                      dry_run=dry_run)
    except imports.ImportRefused as refusal:
        click.echo(f"{file}: {refusal}", err=True)
        for error in refusal.errors:
            click.echo(f"  {error}", err=True)
        raise SystemExit(1) from None
    click.echo(f"{result.summary}.")


@landscape_cli.command("export")
@click.option("--network", "network_slug", required=True,
              help="The network's slug, as in its web address.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the CSV to this file instead of the screen.")
def export_command(network_slug: str, output: str | None) -> None:
    """Write the network's active services as CSV, every field.

    The file imports again unchanged with `msknet landscape import`, so it is
    the place to start an edit in a spreadsheet.

    Examples:

    \b
        msknet landscape export --network london --output services.csv
        msknet landscape export --network london > services.csv
    """
    from msknet.cli import setup_django

    setup_django()
    from msknet.members.models import Network

    from . import service_csv

    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise click.UsageError(f"There is no network {network_slug!r}.")
    services = list(service_csv.services_for_export(network))
    if output is None:
        service_csv.write(click.get_text_stream("stdout"), services)
        return
    with open(output, "w", newline="", encoding="utf-8") as out:
        service_csv.write(out, services)
    click.echo(f"Wrote {len(services)} service{'' if len(services) == 1 else 's'} "
               f"to {output}.", err=True)
