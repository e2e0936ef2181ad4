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


@insights_cli.command("set-indicator")
@click.argument("slug")
@click.option("--polarity",
              help="higher_is_better, lower_is_better or no_judgement.")
@click.option("--value-type", "value_type",
              help="proportion, rate, ratio or mean (only imports set unknown).")
@click.option("--unit", help='What the values are in, e.g. "%" or "per 100,000".')
@click.option("--multiplier", type=float,
              help="100 for a percentage, 100000 for a rate per 100,000.")
@click.option("--method", help="The confidence limits method, e.g. "
              '"Directly standardised rate: limits as Fingertips publishes them".')
@click.option("--by", "by_email", help="Email of the person making the change.")
def set_indicator_command(slug: str, polarity: str | None, value_type: str | None,
                          unit: str | None, multiplier: float | None,
                          method: str | None, by_email: str | None) -> None:
    """Change an indicator's details, as its edit page does.

    Only the options given change. When the value type changes from unknown
    to a proportion or a rate, the missing confidence limits of the
    indicator's values are computed from their counts and denominators.
    A bad value changes nothing; the command names it and exits with status 1.

    Example:

    \b
        msknet insights set-indicator hip-fractures-in-people-aged-65-and-over \\
            --value-type rate --multiplier 100000 --polarity lower_is_better
    """
    from msknet.cli import setup_django

    setup_django()
    from django.core.exceptions import ValidationError

    from msknet.members.models import User

    from .actions import update_indicator
    from .models import Indicator, Polarity, ValueType

    indicator = Indicator.objects.filter(slug=slug).first()
    if indicator is None:
        raise click.BadParameter(f"there is no indicator {slug!r}", param_hint="SLUG")
    if polarity is not None and polarity not in Polarity.values:
        raise click.BadParameter(f"use one of {', '.join(Polarity.values)}, not "
                                 f"{polarity!r}", param_hint="--polarity")
    if value_type is not None and value_type not in ValueType.values:
        raise click.BadParameter(f"use one of {', '.join(ValueType.values)}, not "
                                 f"{value_type!r}", param_hint="--value-type")
    by = None
    if by_email:
        by = User.objects.filter(email__iexact=by_email.strip()).first()
        if by is None:
            raise click.BadParameter(f"nobody has the email {by_email!r}",
                                     param_hint="--by")
    given = {"polarity": polarity, "value_type": value_type, "unit": unit,
             "multiplier": multiplier, "method": method}
    details = {name: value for name, value in given.items() if value is not None}
    if not details:
        raise click.UsageError("Give at least one of --polarity, --value-type, "
                               "--unit, --multiplier or --method")
    try:
        update = update_indicator(indicator=indicator, by=by, **details)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                click.echo(f"--{name.replace('_', '-')}: {message}", err=True)
        sys.exit(1)
    click.echo(update.summary())


def person(email: str, param_hint: str) -> object:
    from msknet.members.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise click.BadParameter(f"nobody has the email {email!r}",
                                 param_hint=param_hint)
    return user


@insights_cli.group("steward")
def steward_cli() -> None:
    """Data stewards: who may change shared public indicators' details.

    Shared indicators (Fingertips, and those loaded from the command line)
    are the same for every network here, so no network's lead changes them;
    a network's own local indicators are its leads' to change.
    """


@steward_cli.command("add")
@click.argument("email")
@click.option("--by", "by_email", help="Email of the person granting it, for the record.")
def steward_add_command(email: str, by_email: str | None) -> None:
    """Make the person with EMAIL a data steward.

    Example:

    \b
        msknet insights steward add analyst@example.nhs.uk
    """
    from msknet.cli import setup_django

    setup_django()
    from .actions import add_data_steward

    user = person(email, "EMAIL")
    by = person(by_email, "--by") if by_email else None
    if add_data_steward(user=user, by=by):
        click.echo(f"{email} is now a data steward.")
    else:
        click.echo(f"{email} was already a data steward.")


@steward_cli.command("remove")
@click.argument("email")
@click.option("--by", "by_email", help="Email of the person removing it, for the record.")
def steward_remove_command(email: str, by_email: str | None) -> None:
    """Stop the person with EMAIL being a data steward.

    Example:

    \b
        msknet insights steward remove analyst@example.nhs.uk
    """
    from msknet.cli import setup_django

    setup_django()
    from .actions import remove_data_steward

    user = person(email, "EMAIL")
    by = person(by_email, "--by") if by_email else None
    if remove_data_steward(user=user, by=by):
        click.echo(f"{email} is no longer a data steward.")
    else:
        click.echo(f"{email} was not a data steward.")


@steward_cli.command("list")
def steward_list_command() -> None:
    """List the data stewards, one email a line."""
    from msknet.cli import setup_django

    setup_django()
    from .models import DataSteward

    stewards = DataSteward.objects.select_related("user").order_by("user__email")
    for steward in stewards:
        click.echo(steward.user.email)
    if not stewards:
        click.echo("There are no data stewards.")


@insights_cli.command("demo")
def demo_command() -> None:
    """Load the synthetic demo indicators (once; nothing happens if they are there)."""
    from msknet.cli import setup_django

    setup_django()
    from .demo import load_demo_indicators

    created = load_demo_indicators()
    click.echo("Demo indicators loaded." if created else "Demo indicators already present.")


@insights_cli.command("populations")
@click.option("--file", "path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with the columns area_code, year, persons.")
@click.option("--source", required=True,
              help="Where the figures come from, shown beside rates that use them.")
def populations_command(path: Path, source: str) -> None:
    """Load areas' populations, the denominators for rates per 100,000.

    `area_code` is an ONS code (E92, E40, E54 …) or an ICB's ODS code; a year
    an area already has is updated. Every row is checked first; a file with
    any problem loads nothing, lists each by row and column, and the command
    exits with status 1. The layout is in docs/landscape-import.md.

    Example:

    \b
        msknet insights populations --file icb-populations-2023.csv \\
            --source "ONS mid-2023 estimates"
    """
    from msknet.cli import setup_django

    setup_django()
    from .populations import PopulationsRefused, load_bytes

    try:
        loaded = load_bytes(path.read_bytes(), source=source)
    except PopulationsRefused as refusal:
        click.echo(f"{path.name}: {refusal}", err=True)
        for error in refusal.errors:
            click.echo(f"  {error}", err=True)
        sys.exit(1)
    click.echo(f"{path.name}: {loaded.summary}.")
