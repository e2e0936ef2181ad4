"""`msknet insights …`: load indicator data from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def insights_cli() -> None:
    """Population-health indicator data: import Fingertips and local files."""


def describe_run(run: object) -> list[str]:
    """The lines a person reads after an import, success or failure."""
    from .models import ImportRun, ImportStatus

    assert isinstance(run, ImportRun)
    if run.status == ImportStatus.FAILED:
        lines = [f"{run.file_name} was not imported: nothing has changed. Problems:"]
        for problem in run.errors:
            where = f"row {problem['row']}" if problem["row"] else "file"
            field = f", {problem['field']}" if problem["field"] else ""
            lines.append(f"  {where}{field}: {problem['message']}")
        return lines
    lines = [
        (f"Imported {run.file_name}: {run.rows_read} rows read, "
        f"{run.rows_created} created, {run.rows_updated} updated, "
        f"{run.rows_unchanged} unchanged, {run.rows_removed} removed.")
    ]
    for entry in run.changes:
        where = entry.get("area_type") or entry.get("area")
        lines.append(
            f"  {entry['indicator']} – {where} – {entry['period']}: "
            f"{entry['created']} created, {entry['updated']} updated, "
            f"{entry['unchanged']} unchanged, {entry['removed']} removed"
        )
        for change in entry["changes"]:
            what = " ".join(
                v for v in (change["area"], change["sex"], change["age"],
                            change["category"]) if v
            )
            if "removed" in change:
                lines.append(f"    {what}: removed")
            else:
                fields = ", ".join(f"{k} {old} → {new}"
                                   for k, (old, new) in change["fields"].items())
                lines.append(f"    {what}: {fields}")
    return lines


@insights_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--local", "local", is_flag=True,
              help="The file is msknet's local CSV, not a Fingertips export.")
@click.option("--by", "by_email", help="Email of the person loading it, for the record.")
def import_command(path: Path, local: bool, by_email: str | None) -> None:
    """Import a Fingertips indicator-data CSV (or, with --local, a local CSV).

    Every row is checked first; a file with any problem changes nothing and
    the command lists each problem by row and field, then exits with status 1.

    Example:

    \b
        msknet insights import indicators-93377-icbs.csv --by lead@example.nhs.uk
        msknet insights import waits.csv --local
    """
    from msknet.cli import setup_django

    setup_django()
    from msknet.members.models import User

    from .actions import import_file
    from .models import ImportStatus, SourceKind

    by = None
    if by_email:
        by = User.objects.filter(email__iexact=by_email.strip()).first()
        if by is None:
            raise click.BadParameter(f"nobody has the email {by_email!r}",
                                     param_hint="--by")
    run = import_file(
        content=path.read_bytes(),
        file_name=path.name,
        kind=SourceKind.LOCAL if local else SourceKind.FINGERTIPS,
        by=by,
    )
    failed = run.status == ImportStatus.FAILED
    for line in describe_run(run):
        click.echo(line, err=failed)
    if failed:
        sys.exit(1)


@insights_cli.command("demo")
def demo_command() -> None:
    """Load the synthetic demo indicators (once; nothing happens if they are there)."""
    from msknet.cli import setup_django

    setup_django()
    from .demo import load_demo_indicators

    created = load_demo_indicators()
    click.echo("Demo indicators loaded." if created else "Demo indicators already present.")
