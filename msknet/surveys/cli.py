"""`msknet surveys …`: surveys from the command line."""

from __future__ import annotations

import click


@click.group()
def surveys_cli() -> None:
    """Surveys: responses and results."""


@surveys_cli.command("export")
@click.option("--network", "network_slug", required=True,
              help="The network's slug, as in its web address.")
@click.option("--survey", "survey_id", required=True, type=int,
              help="The survey's id, as in its web address.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the CSV to this file instead of the screen.")
def export_command(network_slug: str, survey_id: int, output: str | None) -> None:
    """Write a survey's responses as CSV.

    One row per response and one column per question (multiple choice
    joined with "; ", a Likert grid one column per statement), the themes
    of each free-text answer, and the respondent's name only for a named
    survey. Cells a spreadsheet would run as formulas start with a quote.

    Example:

    \b
        msknet surveys export --network london --survey 3 --output responses.csv
    """
    from msknet.cli import setup_django

    setup_django()
    from msknet.members.models import Network

    from .models import Survey
    from .results_queries import responses_csv_lines

    network = Network.objects.filter(slug=network_slug).first()
    if network is None:
        raise click.UsageError(f"There is no network {network_slug!r}.")
    survey = Survey.objects.filter(network=network, pk=survey_id).first()
    if survey is None:
        raise click.UsageError(f"{network.short_name} has no survey {survey_id}.")
    lines = responses_csv_lines(survey)
    if output is None:
        click.get_text_stream("stdout").writelines(lines)
        return
    with open(output, "w", newline="", encoding="utf-8") as out:
        out.writelines(lines)
    count = survey.responses.count()
    click.echo(f"Wrote {count} response{'' if count == 1 else 's'} to {output}.",
               err=True)
