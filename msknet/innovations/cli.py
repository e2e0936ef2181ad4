"""`msknet innovations …`: the innovation catalogue from the command line."""

from __future__ import annotations

import click


@click.group()
def innovations_cli() -> None:
    """Innovations: the network's catalogue."""


@innovations_cli.command("export")
@click.option("--network", "network_slug", required=True,
              help="The network's slug, as in its web address.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the CSV to this file instead of the screen.")
def export_command(network_slug: str, output: str | None) -> None:
    """Write the network's innovation catalogue as CSV.

    One row per reviewed innovation, at every stage, with every field of its
    record, the strategic priorities it serves and how many sites pilot, use
    and sustain it. Proposals from the public form that no lead has reviewed
    are left out.

    Example:

    \b
        msknet innovations export --network london --output innovations.csv
    """
    from msknet.cli import setup_django

    setup_django()
    from django.conf import settings

    from msknet.members.models import Network

    from . import catalogue_csv, queries
    from .models import Innovation

    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise click.UsageError(f"There is no network {network_slug!r}.")
    innovations = queries.for_export(queries.with_sites_in_use(
        Innovation.objects.for_network(network).reviewed().order_by("name", "pk")))
    if output is None:
        catalogue_csv.write(click.get_text_stream("stdout"), innovations,
                            settings.SITE_URL)
        return
    with open(output, "w", newline="", encoding="utf-8") as out:
        count = catalogue_csv.write(out, innovations, settings.SITE_URL)
    click.echo(f"Wrote {count} innovation{'' if count == 1 else 's'} to {output}.",
               err=True)
