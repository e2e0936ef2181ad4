"""`msknet tasks failed` lists what no lead sees: failures tied to no network."""

import pytest
from click.testing import CliRunner

from msknet.cli import cli
from msknet.core.tasks import enqueue
from tests.tasks import run_queued_tasks


@pytest.mark.slow
def test_tasks_failed_lists_failures_tied_to_no_network(network):
    # A function that is not there fails, as a renamed task would.
    enqueue("msknet.core.emails.no_such_task", name="Nightly job", sync=False)
    enqueue("msknet.core.emails.no_such_task", name="London job", sync=False,
            network_pk=network.pk)
    run_queued_tasks()

    everyone = CliRunner().invoke(cli, ["tasks", "failed"])
    london = CliRunner().invoke(cli, ["tasks", "failed", "--network", network.slug])

    assert everyone.exit_code == 0, everyone.output
    assert "Nightly job" in everyone.output and "London job" not in everyone.output
    assert "London job" in london.output and "Nightly job" not in london.output


def test_tasks_failed_says_when_none_failed(db):
    result = CliRunner().invoke(cli, ["tasks", "failed"])

    assert result.output == "No task has failed.\n"
